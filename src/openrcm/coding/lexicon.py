"""The coder's lexicon (``openrcm/data/coding_lexicon.toml``): shorthand, phrasing, drug classes, tobacco."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True, slots=True)
class Lexicon:
    abbreviations: dict[str, str]
    case_sensitive: dict[str, str]
    phrases: dict[str, str]
    uncertainty: tuple[str, ...]
    progression: tuple[str, ...]
    drug_classes: dict[str, tuple[str, ...]]
    tobacco: dict[str, tuple[str, ...]]
    _abbrev_re: re.Pattern[str]
    _case_re: re.Pattern[str]
    _phrase_re: re.Pattern[str]

    def expand(self, text: str) -> str:
        """Spell out shorthand the way the Alphabetic Index words it ("T2DM w/ CKD 3a" -> ...)."""
        out = self._case_re.sub(lambda m: self.case_sensitive[m.group(0)], text)
        out = self._abbrev_re.sub(lambda m: self.abbreviations[m.group(0).lower()], out)
        return self._phrase_re.sub(lambda m: self.phrases[m.group(0).lower()], out)

    def has_any(self, text: str, terms: tuple[str, ...]) -> str | None:
        match = _any_pattern(terms).search(text.lower())
        return match.group(1) if match else None


@cache
def _any_pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    ordered = sorted(terms, key=len, reverse=True)
    return re.compile(r"(?<![a-z])(" + "|".join(re.escape(t) for t in ordered) + ")")


def _alternation(keys: list[str], *, ignore_case: bool) -> re.Pattern[str]:
    ordered = sorted(keys, key=len, reverse=True)
    body = "|".join(re.escape(k) for k in ordered) or "(?!)"
    return re.compile(rf"(?<![\w/-])(?:{body})(?![\w/-])", re.IGNORECASE if ignore_case else 0)


@cache
def load_lexicon() -> Lexicon:
    text = resources.files("openrcm.data").joinpath("coding_lexicon.toml").read_text("utf-8")
    data = tomllib.loads(text)
    abbreviations = {k.lower(): v for k, v in data["abbreviations"].items()}
    case_sensitive = dict(data["case_sensitive"])
    phrases = {k.lower(): v for k, v in data["phrases"].items()}
    return Lexicon(
        abbreviations=abbreviations,
        case_sensitive=case_sensitive,
        phrases=phrases,
        uncertainty=tuple(data["uncertainty"]["terms"]),
        progression=tuple(data["progression"]["terms"]),
        drug_classes={k: tuple(v) for k, v in data["drug_classes"].items()},
        tobacco={k: tuple(v) for k, v in data["tobacco"].items()},
        _abbrev_re=_alternation(list(abbreviations), ignore_case=True),
        _case_re=_alternation(list(case_sensitive), ignore_case=False),
        _phrase_re=_alternation(list(phrases), ignore_case=True),
    )
