"""A sandbox payer: adjudicates claims the way a commercial payer does, so the whole cycle can run
without one (domain-rules §6.1-6.5).

It prices each line at the contract's allowed amount (never above the charge), applies the
member's benefits in order - copay, then deductible, then coinsurance, capped by the
out-of-pocket maximum - with accumulators carried across claims, and denies what a payer
denies: an unknown member (CO-31), coverage not in force on the date of service (CO-26/27),
timely filing (CO-29), a duplicate (CO-18), a missing prior authorization (CO-197), and NCCI
PTP, MUE and add-on edits (CO-97, CO-151, CO-107, found by the same scrubber the practice uses).
Its answers are Remittance records; the transport writes them as 835s.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from openrcm.claims.model import ChargeLine, Claim
from openrcm.claims.pricing import Contract, price_line
from openrcm.claims.scrub import Scrubber
from openrcm.codesets.mpfs import FeeSchedule
from openrcm.core.money import to_money
from openrcm.payer.remittance import Adjustment, ClaimPayment, ProviderAdjustment, Remittance, ServicePayment

ZERO = Decimal("0.00")
# scrubber findings the payer turns into line denials: (CARC, RARCs)
EDIT_DENIALS = {
    "NCCI_PTP_NEVER": ("97", ("M80",)),
    "NCCI_PTP_MODIFIER": ("97", ("M80",)),
    "MUE_LINE": ("151", ("N362",)),
    "MUE_DAY_MAI2": ("151", ("N362",)),
    "MUE_DAY_MAI3": ("151", ("N362",)),
    "AOC_WITHOUT_PRIMARY": ("107", ()),
}


@dataclass(frozen=True, slots=True)
class Benefits:
    deductible: Decimal = Decimal("500.00")
    coinsurance_percent: Decimal = Decimal("20")
    out_of_pocket_max: Decimal = Decimal("3000.00")
    copays: Mapping[str, Decimal] = field(default_factory=dict)  # procedure code -> copay per visit


@dataclass(frozen=True, slots=True)
class Member:
    member_id: str
    start: dt.date
    end: dt.date | None = None
    benefits: Benefits = field(default_factory=Benefits)


@dataclass(frozen=True, slots=True)
class PayerPolicy:
    payer_id: str
    payer_name: str
    contract: Contract | None
    timely_filing_days: int = 90
    authorization_required: frozenset[str] = frozenset()  # procedure codes needing prior auth
    review_codes: frozenset[str] = frozenset()  # claims with these codes pend for medical review


@dataclass(slots=True)
class Accumulator:
    deductible_met: Decimal = ZERO
    out_of_pocket_met: Decimal = ZERO


@dataclass(slots=True)
class SandboxPayer:
    policy: PayerPolicy
    members: dict[str, Member]
    scrubber: Scrubber
    schedule: FeeSchedule | None
    accumulators: dict[str, Accumulator] = field(default_factory=dict)
    seen: dict[tuple[str, ...], str] = field(default_factory=dict)  # duplicate key -> ICN
    adjudicated: dict[str, tuple[str, ClaimPayment]] = field(default_factory=dict)  # ICN -> (member, decision)
    sequence: int = 0
    pended: dict[str, tuple[Claim, dt.date]] = field(default_factory=dict)  # claim id -> (claim, received)

    def _icn(self, received: dt.date) -> str:
        self.sequence += 1
        return f"SBX{received:%y%j}{self.sequence:07d}"

    @staticmethod
    def _duplicate_key(claim: Claim) -> tuple[str, ...]:
        lines = sorted(f"{line.code}:{'-'.join(line.modifiers)}:{line.units}:{line.charge}" for line in claim.lines)
        return (claim.coverage.member_id, claim.service_date.isoformat(), *lines)

    def _claim_denial(self, claim: Claim, received: dt.date) -> tuple[str, tuple[str, ...]] | None:
        member = self.members.get(claim.coverage.member_id)
        if member is None:
            return "31", ("MA61",)
        if claim.service_date < member.start:
            return "26", ()
        if member.end is not None and claim.service_date > member.end:
            return "27", ()
        if (received - claim.service_date).days > self.policy.timely_filing_days:
            return "29", ()
        if claim.frequency == "1" and self._duplicate_key(claim) in self.seen:
            return "18", ()
        return None

    def _line_denials(self, claim: Claim) -> dict[int, tuple[str, tuple[str, ...]]]:
        denied: dict[int, tuple[str, tuple[str, ...]]] = {}
        for issue in self.scrubber.ncci(claim):
            n = issue.location.line_number
            if n is not None and issue.code in EDIT_DENIALS:
                denied.setdefault(n, EDIT_DENIALS[issue.code])
        if not claim.prior_authorization:
            for n, line in enumerate(claim.lines, start=1):
                if line.code in self.policy.authorization_required:
                    denied.setdefault(n, ("197", ("M62",)))
        return denied

    def _patient_share(
        self, line: ChargeLine, allowed: Decimal, benefits: Benefits, acc: Accumulator, copay_taken: bool
    ) -> list[Adjustment]:
        """Copay, deductible and coinsurance on one line's allowed amount, within the OOP maximum."""
        shares: list[Adjustment] = []
        left = allowed
        room = max(benefits.out_of_pocket_max - acc.out_of_pocket_met, ZERO)
        copay = benefits.copays.get(line.code, ZERO) if not copay_taken else ZERO
        for reason in ("3", "1", "2"):  # copay, deductible, coinsurance, in that order
            if reason == "3":
                wanted = copay
            elif reason == "1":
                wanted = max(benefits.deductible - acc.deductible_met, ZERO)
            else:
                wanted = to_money(left * benefits.coinsurance_percent / Decimal(100))
            amount = min(wanted, left, room)
            if amount <= ZERO:
                continue
            shares.append(Adjustment("PR", reason, amount))
            left -= amount
            room -= amount
            acc.out_of_pocket_met += amount
            if reason == "1":
                acc.deductible_met += amount
        return shares

    def adjudicate(self, claim: Claim, received: dt.date) -> ClaimPayment:
        icn = self._icn(received)
        claim_denial = self._claim_denial(claim, received)
        line_denials = {} if claim_denial else self._line_denials(claim)
        member = self.members.get(claim.coverage.member_id)
        benefits = member.benefits if member else Benefits()
        acc = self.accumulators.setdefault(claim.coverage.member_id, Accumulator())
        services: list[ServicePayment] = []
        copay_taken = False
        for n, line in enumerate(claim.lines, start=1):
            denial = claim_denial or line_denials.get(n)
            day = line.service_date or claim.service_date
            if denial is not None:
                reason, remarks = denial
                services.append(
                    ServicePayment(
                        line.code,
                        line.modifiers,
                        line.charge,
                        ZERO,
                        line.units,
                        day,
                        (Adjustment("CO", reason, line.charge),),
                        ZERO,
                        line.line_control,
                        remarks,
                        0,
                    )
                )
                continue
            expected = price_line(line, claim, self.policy.contract, self.schedule).expected_allowed
            allowed = min(expected, line.charge) if expected is not None else line.charge
            adjustments = [Adjustment("CO", "45", line.charge - allowed)] if line.charge > allowed else []
            shares = self._patient_share(line, allowed, benefits, acc, copay_taken)
            copay_taken = copay_taken or any(a.reason == "3" for a in shares)
            adjustments += shares
            paid = allowed - sum((a.amount for a in shares), ZERO)
            services.append(
                ServicePayment(
                    line.code,
                    line.modifiers,
                    line.charge,
                    paid,
                    line.units,
                    day,
                    tuple(adjustments),
                    allowed,
                    line.line_control,
                    (),
                    0,
                )
            )
        charge = claim.total_charge
        paid = sum((s.paid for s in services), ZERO)
        patient = sum((a.amount for s in services for a in s.adjustments if a.group == "PR"), ZERO)
        all_denied = all(s.allowed == ZERO for s in services)
        status = "4" if all_denied else {"P": "1", "S": "2", "T": "3"}.get(claim.coverage.priority, "1")
        if claim.frequency == "1" and not claim_denial:
            self.seen[self._duplicate_key(claim)] = icn
        person = claim.patient.person
        decision = ClaimPayment(
            claim.id,
            status,
            charge,
            paid,
            patient,
            "12",
            icn,
            claim.frequency,
            (),
            tuple(services),
            f"{person.last_name}, {person.first_name}",
            claim.original_claim_number,
            ZERO,
            0,
        )
        self.adjudicated[icn] = (claim.coverage.member_id, decision)
        return decision

    def reversal_of(self, original_icn: str) -> ClaimPayment | None:
        """The reversal (CLP02 = 22) of an earlier decision: every amount negated, groups kept."""
        found = self.adjudicated.pop(original_icn, None)
        if found is None:
            return None
        member_id, old = found
        acc = self.accumulators.setdefault(member_id, Accumulator())
        for adj in old.all_adjustments():  # the patient's share goes back off the accumulators
            if adj.group == "PR":
                acc.out_of_pocket_met -= adj.amount
                if adj.reason == "1":
                    acc.deductible_met -= adj.amount

        def neg(adjs: Sequence[Adjustment]) -> tuple[Adjustment, ...]:
            return tuple(Adjustment(a.group, a.reason, -a.amount, a.quantity) for a in adjs)

        services = tuple(
            ServicePayment(
                s.code,
                s.modifiers,
                -s.charge,
                -s.paid,
                s.units,
                s.service_date,
                neg(s.adjustments),
                -s.allowed if s.allowed is not None else None,
                s.control_number,
                (),
                0,
            )
            for s in old.services
        )
        return ClaimPayment(
            old.patient_control_number,
            "22",
            -old.charge,
            -old.paid,
            -old.patient_responsibility,
            old.filing_indicator,
            old.payer_claim_control_number,
            old.frequency,
            neg(old.adjustments),
            services,
            old.patient_name,
            "",
            -old.interest,
            0,
        )

    def status_of(self, claim_id: str) -> str:
        """The claim-status category a 276 would get: P1 pending, F1 paid, F2 denied, A2 not yet seen."""
        if claim_id in self.pended:
            return "P1"
        decisions = [d for _, d in self.adjudicated.values() if d.patient_control_number == claim_id]
        if not decisions:
            return "A2"
        return "F2" if decisions[-1].status == "4" else "F1"

    def release(self, paid_on: dt.date, check_number: str, payee: tuple[str, str]) -> Remittance:
        """Finish the medical review of every pended claim and pay them in one 835."""
        held = list(self.pended.values())
        self.pended.clear()
        payments = [self.adjudicate(claim, received) for claim, received in held]
        return self._remittance(payments, paid_on, check_number, payee)

    def remit(
        self, claims: Sequence[Claim], received: dt.date, paid_on: dt.date, check_number: str, payee: tuple[str, str]
    ) -> Remittance:
        """Adjudicate a batch and pay it: one 835 (replacements also reverse what they replace)."""
        payments: list[ClaimPayment] = []
        for claim in claims:
            if claim.frequency == "1" and any(line.code in self.policy.review_codes for line in claim.lines):
                self.pended[claim.id] = (claim, received)  # acknowledged, but not paid until reviewed
                continue
            if claim.frequency in {"7", "8"} and claim.original_claim_number:
                reversal = self.reversal_of(claim.original_claim_number)
                if reversal is not None:
                    payments.append(reversal)
                if claim.frequency == "8":
                    continue
            payments.append(self.adjudicate(claim, received))
        return self._remittance(payments, paid_on, check_number, payee)

    def _remittance(
        self, payments: list[ClaimPayment], paid_on: dt.date, check_number: str, payee: tuple[str, str]
    ) -> Remittance:
        total = sum((p.paid for p in payments), ZERO)
        payee_npi, payee_name = payee
        carried: tuple[ProviderAdjustment, ...] = ()
        if total < ZERO:
            # a check cannot be negative: the payer carries what the provider owes forward (PLB FB),
            # to recover it from a later payment
            carried = (ProviderAdjustment(payee_npi, dt.date(paid_on.year, 12, 31), "FB", check_number, total),)
        return Remittance(
            self.policy.payer_id,
            self.policy.payer_name,
            payee_npi,
            payee_name,
            check_number,
            "CHK" if total > ZERO else "NON",
            max(total, ZERO),
            paid_on,
            tuple(payments),
            carried,
            "0001",
            "005010X221A1",
        )
