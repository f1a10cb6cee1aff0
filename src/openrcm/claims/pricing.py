"""Pricing: what the practice charges, and what each payer is expected to allow.

* the chargemaster gives the charge (``build.py``);
* the Medicare Physician Fee Schedule formula gives Medicare's allowed amount:
  [(work RVU x work GPCI) + (PE RVU x PE GPCI) + (MP RVU x MP GPCI)] x conversion factor,
  with the non-facility or facility practice expense by place of service;
* payer contracts (TOML the billing office keeps) give the expected allowed amount: a fixed fee
  schedule, a percent of Medicare, or both (fixed codes first).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from openrcm.claims.model import ChargeLine, Claim
from openrcm.codesets.mpfs import FeeSchedule, Gpci
from openrcm.core.errors import DataFileError
from openrcm.core.issue import Issue, Location, Severity
from openrcm.core.money import to_money

CY2026_CONVERSION_FACTOR = Decimal("33.4009")  # CY2026 non-qualifying-APM conversion factor
# Places of service paid at the facility rate (hospital, ASC, SNF and similar).
FACILITY_POS = frozenset(
    {"02", "19", "21", "22", "23", "24", "26", "31", "34", "41", "42", "51", "52", "53", "56", "61"}
)


@dataclass(frozen=True, slots=True)
class Locality:
    mac: str
    locality: str


@dataclass(frozen=True, slots=True)
class Contract:
    name: str
    percent_of_medicare: Decimal | None = None
    fees: dict[str, Decimal] = field(default_factory=dict)  # code or code-modifier -> allowed per unit
    locality: Locality | None = None
    conversion_factor: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Priced:
    line: ChargeLine
    expected_allowed: Decimal | None
    basis: str
    issues: tuple[Issue, ...] = ()


def medicare_allowed(
    schedule: FeeSchedule,
    code: str,
    modifiers: tuple[str, ...],
    dos: dt.date,
    locality: Locality,
    *,
    place_of_service: str = "11",
    conversion_factor: Decimal | None = None,
) -> tuple[Decimal | None, str, tuple[Issue, ...]]:
    """The MPFS allowed amount for one unit, the formula used, and any findings (stale file...)."""
    release, issues = schedule.for_date(dos)
    if release is None:
        return None, "no fee schedule for the date of service", issues
    modifier = next((m for m in modifiers if m in ("26", "TC", "53")), "")
    rvu = release.get(code, modifier)
    if rvu is None:
        return None, f"{code} is not in {release.name}", issues
    gpci: Gpci | None = release.gpcis.get((locality.mac, locality.locality))
    if gpci is None:
        return None, f"no GPCI for MAC {locality.mac} locality {locality.locality}", issues
    facility = place_of_service in FACILITY_POS
    pe = rvu.pe_facility if facility else rvu.pe_nonfacility
    cf = conversion_factor or rvu.conversion_factor
    value = (rvu.work * gpci.work + pe * gpci.pe + rvu.malpractice * gpci.mp) * cf
    basis = (
        f"MPFS {release.name}: ({rvu.work} x {gpci.work} + {pe} x {gpci.pe} + {rvu.malpractice} x {gpci.mp}) "
        f"x {cf} ({'facility' if facility else 'non-facility'})"
    )
    return to_money(value), basis, issues


def price_line(
    line: ChargeLine,
    claim: Claim,
    contract: Contract | None,
    schedule: FeeSchedule | None,
    default_locality: Locality | None = None,
) -> Priced:
    if contract is None:
        return Priced(line, None, "no contract for this payer")
    key = f"{line.code}-{line.modifiers[0]}" if line.modifiers else line.code
    fixed = contract.fees.get(key) or contract.fees.get(line.code)
    if fixed is not None:
        return Priced(line, to_money(fixed * line.units), f"contract {contract.name}: fixed fee {fixed} per unit")
    if contract.percent_of_medicare is not None and schedule is not None:
        locality = contract.locality or default_locality
        if locality is None:
            return Priced(line, None, "no Medicare locality configured")
        unit, basis, issues = medicare_allowed(
            schedule,
            line.code,
            line.modifiers,
            line.service_date or claim.service_date,
            locality,
            place_of_service=line.place_of_service or claim.place_of_service,
            conversion_factor=contract.conversion_factor,
        )
        if unit is None:
            return Priced(line, None, basis, issues)
        allowed = to_money(unit * contract.percent_of_medicare / Decimal(100) * line.units)
        return Priced(line, allowed, f"contract {contract.name}: {contract.percent_of_medicare}% of {basis}", issues)
    return Priced(
        line,
        None,
        f"contract {contract.name} has no rate for {line.code}",
        (
            Issue(
                "PRICE_NO_RATE",
                Severity.INFO,
                f"no expected allowed amount for {line.code} under {contract.name}",
                Location(claim_id=claim.id, code=line.code),
                "pricing",
                "payer contract",
            ),
        ),
    )


def load_contracts(path: Path | None = None) -> dict[str, Contract]:
    """``[contract.NAME]`` tables: ``percent_of_medicare``, ``mac``, ``locality``, ``conversion_factor``, ``fees``.

    Without a path: the demo practice's contracts shipped with the package.
    """
    if path is None:
        from importlib import resources  # noqa: PLC0415 - only the demo's file comes from the package

        with resources.as_file(resources.files("openrcm.data").joinpath("demo_contracts.toml")) as demo:
            return load_contracts(Path(demo))
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DataFileError(path, f"cannot be read as TOML ({exc})") from None
    out: dict[str, Contract] = {}
    try:
        for name, spec in data.get("contract", {}).items():
            fees = {
                str(k): to_money(repr(v) if isinstance(v, float) else str(v)) for k, v in spec.get("fees", {}).items()
            }
            locality = Locality(str(spec["mac"]), str(spec["locality"]).zfill(2)) if "mac" in spec else None
            pct = spec.get("percent_of_medicare")
            cf = spec.get("conversion_factor")
            out[name] = Contract(
                name,
                Decimal(str(pct)) if pct is not None else None,
                fees,
                locality,
                Decimal(str(cf)) if cf is not None else None,
            )
    except (InvalidOperation, KeyError) as exc:
        raise DataFileError(path, f"bad contract entry ({exc})") from None
    return out


def claim_expected_allowed(
    claim: Claim, contracts: dict[str, Contract], schedule: FeeSchedule | None
) -> Decimal | None:
    """The claim's expected allowed amount, or None when any line has no rate (no partial totals)."""
    contract = contracts.get(claim.coverage.payer.contract)
    total = Decimal("0.00")
    for line in claim.lines:
        priced = price_line(line, claim, contract, schedule)
        if priced.expected_allowed is None:
            return None
        total += priced.expected_allowed
    return total
