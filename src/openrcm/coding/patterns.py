"""Many lower-case expressions as one alternation that Python's ``re`` can scan quickly.

The coder asks of each sentence "does any service, test or drug name occur here?". Written plainly
(``\\bbmp\\b|\\bcbc\\b|...`` with IGNORECASE) ``re`` tries every alternative at every position of the
text. When every alternative starts with a literal character and the pattern is case-sensitive,
``re`` first jumps to the positions where one of those characters stands: on lower-cased text that
is 2 to 10 times faster. So the alternatives are rewritten, each into an equivalent one that starts
with its first letter:

* ``\\bx...`` becomes ``x(?<!\\wx)...`` (a word boundary before a word character is "no word
  character before it");
* ``\\b(?:a|b)rest`` becomes ``\\barest|\\bbrest``, then as above (an ordered alternation tried
  before ``rest`` is the same as each alternative followed by ``rest``, in the same order).

Anything else is kept as written. Matches are the same as the IGNORECASE original's on ASCII text;
:class:`Alternation` lower-cases the text it is given, and reads non-ASCII text the slow way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

_QUANTIFIERS = frozenset("?*+{")


def _structure(pattern: str, start: int = 0) -> Iterator[tuple[int, str]]:
    """Where ``pattern`` has ``(``, ``)`` or ``|`` that give it structure (unescaped, outside classes)."""
    in_class = False
    i = start
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            if pattern.startswith("^", i + 1):
                i += 1
            if pattern.startswith("]", i + 1):
                i += 1
        elif c in "()|":
            yield i, c
        i += 1


def split_alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of ``pattern`` (``|`` outside groups and character classes)."""
    out: list[str] = []
    depth = 0
    start = 0
    for i, c in _structure(pattern):
        if c != "|":
            depth += 1 if c == "(" else -1
        elif depth == 0:
            out.append(pattern[start:i])
            start = i + 1
    out.append(pattern[start:])
    return out


def _group_end(pattern: str, open_at: int) -> int | None:
    """The index of the ``)`` that closes the group opened at ``open_at``."""
    depth = 0
    for i, c in _structure(pattern, open_at):
        if c != "|":
            depth += 1 if c == "(" else -1
            if depth == 0:
                return i
    return None


def literal_first(alternative: str) -> list[str]:
    """``alternative`` as alternatives that each start with a literal character where it can be done."""
    if alternative.startswith("\\b(?:"):
        end = _group_end(alternative, 2)
        if end is not None and alternative[end + 1 : end + 2] not in _QUANTIFIERS:
            inner, rest = alternative[5:end], alternative[end + 1 :]
            return [piece for option in split_alternatives(inner) for piece in literal_first(f"\\b{option}{rest}")]
    if alternative.startswith("\\b") and len(alternative) > 2:
        first = alternative[2]
        if (first.isascii() and first.isalnum() and first == first.lower()) and alternative[3:4] not in _QUANTIFIERS:
            return [f"{first}(?<!\\w{first}){alternative[3:]}"]
    return [alternative]


def _reading(fast: re.Pattern[str], plain: re.Pattern[str], text: str) -> tuple[re.Pattern[str], str]:
    """The expression and the text to search: the rewritten one in lower-cased ASCII text (lower-casing
    keeps offsets only for ASCII), else the IGNORECASE original in the text as written."""
    return (fast, text.lower()) if text.isascii() else (plain, text)


def _fast_pieces(expression: str, name: str) -> Iterator[str]:
    """``expression``'s alternatives, each rewritten to start with a literal where it can be."""
    if expression != expression.lower():
        raise ValueError(f"{name} is not written in lower case: {expression!r}")
    for alternative in split_alternatives(expression):
        yield from literal_first(alternative)


@dataclass(frozen=True, slots=True)
class Alternation:
    """Lower-case expressions, each with an owner (the index of the name it belongs to)."""

    fast: re.Pattern[str]  # rewritten, for lower-cased ASCII text
    owners: dict[int, int]  # the number of each alternative's empty marker group -> its owner
    plain: re.Pattern[str]  # as written, IGNORECASE, for other text

    def search(self, text: str) -> bool:
        pattern, target = _reading(self.fast, self.plain, text)
        return pattern.search(target) is not None

    def owners_found(self, text: str) -> set[int]:
        """Whose expressions match, scanning left to right as one alternation does."""
        pattern, target = _reading(self.fast, self.plain, text)
        if pattern is self.fast:
            return {self.owners[m.lastindex] for m in pattern.finditer(target) if m.lastindex}
        return {int(str(m.lastgroup)[1:]) for m in pattern.finditer(target) if m.lastgroup}


@dataclass(frozen=True, slots=True)
class Expression:
    """One lower-case expression, found where the IGNORECASE original finds it, quickly.

    On ASCII text the match is made in the lower-cased text: its offsets are the original's, the text of
    its groups is in lower case. An expression whose rewriting would repeat a capturing group (and so
    renumber them) is kept as written, still case-sensitive on lower-cased text.
    """

    fast: re.Pattern[str]
    plain: re.Pattern[str]

    def search(self, text: str) -> re.Match[str] | None:
        pattern, target = _reading(self.fast, self.plain, text)
        return pattern.search(target)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        pattern, target = _reading(self.fast, self.plain, text)
        return pattern.finditer(target)


def expression(pattern: str) -> Expression:
    """An :class:`Expression` of ``pattern`` (a regular expression written in lower case)."""
    compiled = re.compile("|".join(_fast_pieces(pattern, "expression")))
    plain = re.compile(pattern, re.IGNORECASE)
    return Expression(compiled if compiled.groups == plain.groups else re.compile(pattern), plain)


def alternation(expressions: Iterable[str]) -> Alternation:
    """One :class:`Alternation` of ``expressions`` (regular expressions written in lower case)."""
    expressions = list(expressions)
    fast: list[str] = []
    owners: dict[int, int] = {}
    groups = 0
    for n, expression in enumerate(expressions):
        for piece in _fast_pieces(expression, f"expression {n}"):
            fast.append(f"{piece}()")  # the empty group, closed last, says which alternative matched
            groups += re.compile(piece).groups + 1
            owners[groups] = n
    plain = "|".join(f"(?P<t{n}>{e})" for n, e in enumerate(expressions)) or "(?!)"
    return Alternation(re.compile("|".join(fast) or "(?!)"), owners, re.compile(plain, re.IGNORECASE))


def literal_trie(terms: Iterable[str], not_after: str) -> str:
    """Literal lower-case ``terms`` as one expression that finds, at each position, the longest term there.

    The terms share their prefixes (``abd(?:omen|uct)``) so that ``re`` follows one path through them
    rather than trying every term at every position, and the expression starts with literals
    (``x(?<!{not_after}x)...``: the character class ``not_after`` is checked behind the first
    character) so that ``re`` can jump to them. At each branch the longer terms are tried first: the
    terms that match at one position are prefixes of one another, so the first found is the longest,
    as in an alternation sorted longest first.
    """
    trie: dict[str, dict[str, Any]] = {}
    for term in terms:
        node = trie
        for char in term:
            node = node.setdefault(char, {})
        node[""] = {}  # a term ends here

    def build(node: dict[str, dict[str, Any]]) -> str:
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        if "" not in node:
            return body
        return f"(?:{body})?" if len(branches) == 1 else f"{body}?"  # greedy: the longer terms first

    # (an empty ``not_after``: the terms are read anywhere, a word's ending among them)
    roots = [
        re.escape(char) + (f"(?<!{not_after}{re.escape(char)})" if not_after else "") + build(child)
        for char, child in sorted(trie.items())
        if char
    ]
    return f"(?:{'|'.join(roots)})" if roots else "(?!)"


def terms_pattern(terms: Iterable[str], *, whole_words: bool) -> re.Pattern[str]:
    """Literal lower-case ``terms`` that start a word, the longest first, for lower-cased text (see
    :func:`literal_trie`); with ``whole_words`` a term must also not run on into a letter.
    ``group(0)`` is the term."""
    body = literal_trie(terms, "[a-z]")
    return re.compile(f"{body}(?![a-z])" if whole_words else body)
