"""The practice: billing and rendering providers, the chargemaster, and who it submits to.

Read from a TOML file the billing office keeps (``openrcm/data/demo_practice.toml`` is the demo's,
written by us with synthetic names and Luhn-valid NPIs).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from openrcm.claims.model import Address, Payer, Provider
from openrcm.core.errors import DataFileError
from openrcm.core.money import to_money


@dataclass(frozen=True, slots=True)
class Chargemaster:
    """The practice's list prices: by code, or by code and first modifier (26, TC...)."""

    prices: dict[str, Decimal]
    default: Decimal | None = None

    def price(self, code: str, modifiers: tuple[str, ...] = ()) -> Decimal | None:
        if modifiers:
            found = self.prices.get(f"{code}-{modifiers[0]}")
            if found is not None:
                return found
        return self.prices.get(code, self.default)


@dataclass(frozen=True, slots=True)
class Practice:
    name: str
    billing: Provider
    rendering: Provider
    chargemaster: Chargemaster
    submitter_id: str
    submitter_name: str
    receiver_id: str
    receiver_name: str
    clia_number: str = ""
    payers: tuple[Payer, ...] = ()

    def payer(self, payer_id: str) -> Payer | None:
        return next((p for p in self.payers if p.id == payer_id), None)


def _address(data: dict[str, Any]) -> Address:
    return Address(data["line1"], data["city"], data["state"], str(data["postal_code"]), data.get("line2", ""))


def _provider(data: dict[str, Any]) -> Provider:
    return Provider(
        npi=str(data["npi"]),
        last_name_or_org=data["name"],
        first_name=data.get("first_name", ""),
        entity=str(data.get("entity", "2")),
        taxonomy=data.get("taxonomy", ""),
        tax_id=str(data.get("tax_id", "")),
        address=_address(data["address"]) if "address" in data else None,
        phone=str(data.get("phone", "")),
    )


def parse_practice(text: str, origin: str) -> Practice:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(origin, f"not valid TOML ({exc})") from None
    try:
        prices: dict[str, Decimal] = {}
        for code, value in data.get("chargemaster", {}).items():
            prices[str(code)] = to_money(str(value))
        payers = tuple(
            Payer(
                str(p["id"]),
                p["name"],
                p.get("filing_indicator", "CI"),
                int(p.get("timely_filing_days", 365)),
                _address(p["address"]) if "address" in p else None,
                p.get("contract", ""),
            )
            for p in data.get("payer", [])
        )
        sub = data["submitter"]
        return Practice(
            name=data["practice"]["name"],
            billing=_provider(data["billing"]),
            rendering=_provider(data["rendering"]),
            chargemaster=Chargemaster(prices),
            submitter_id=str(sub["id"]),
            submitter_name=sub["name"],
            receiver_id=str(sub["receiver_id"]),
            receiver_name=sub["receiver_name"],
            clia_number=str(data["practice"].get("clia_number", "")),
            payers=payers,
        )
    except KeyError as exc:
        raise DataFileError(origin, f"missing {exc.args[0]!r}") from None
    except (InvalidOperation, ValueError) as exc:
        raise DataFileError(origin, f"bad value ({exc})") from None


def load_practice(path: Path | None = None) -> Practice:
    if path is None:
        from importlib import resources  # noqa: PLC0415 - only the demo's file comes from the package

        text = resources.files("openrcm.data").joinpath("demo_practice.toml").read_text("utf-8")
        return parse_practice(text, "demo_practice.toml")
    try:
        return parse_practice(path.read_text("utf-8"), str(path))
    except OSError as exc:
        raise DataFileError(path, f"cannot be read ({exc.strerror})") from None
