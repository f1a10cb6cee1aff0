"""The denial work queue: each denied amount grouped by cause, with the next action a biller takes.

Domain-rules §7.1-7.2. The cause and the action come from the CARC, refined by the RARCs where
they say what is missing. A reason this table does not know lands in "other" with the advice to
read the remark codes: nothing is dropped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

ELIGIBILITY = "eligibility and registration"
CODING = "coding"
NECESSITY = "medical necessity"
AUTHORIZATION = "authorization"
TIMELY = "timely filing"
DUPLICATE = "duplicate"
BUNDLING = "bundling"
OTHER = "other"
CATEGORIES = (ELIGIBILITY, CODING, NECESSITY, AUTHORIZATION, TIMELY, DUPLICATE, BUNDLING, OTHER)

_BY_CATEGORY: dict[str, tuple[str, str]] = {
    # category: (CARCs, the usual next action)
    ELIGIBILITY: (
        "22 24 26 27 31 32 33 109 119 140 177 200",
        "Verify eligibility (270/271) and the patient's registration; correct the member id or payer and "
        "send a corrected claim (frequency 7), bill the right payer, or bill the patient.",
    ),
    CODING: (
        "4 5 6 7 8 9 10 11 16 125 146 181 182 189 199",
        "Review the codes against the note: fix the code, modifier or diagnosis pointer named by the "
        "remark codes and send a corrected claim (frequency 7, REF*F8 = payer claim number).",
    ),
    NECESSITY: (
        "50 55 56 96 150 151 152 167 204",
        "Check the diagnosis against the payer's coverage policy (NCD/LCD); if the record supports "
        "necessity, appeal with the note; if an ABN was signed, bill the patient (modifier GA).",
    ),
    AUTHORIZATION: (
        "15 39 62 197 198 243",
        "Find the authorization number; if it exists, send a corrected claim with REF*G1; if not, "
        "request a retro-authorization and appeal.",
    ),
    TIMELY: (
        "29",
        "Appeal only with proof of timely filing (999/277CA acceptance or clearinghouse report); "
        "otherwise write the amount off as a timely-filing loss (the patient may not be billed).",
    ),
    DUPLICATE: (
        "18",
        "Check whether the original claim was paid; do not resubmit. If the service was distinct, "
        "send a corrected claim with the distinguishing modifier (76, 77, 91).",
    ),
    BUNDLING: (
        "97 231 234 236",
        "Check the NCCI edit: if the service was separate and distinct and the modifier indicator "
        "allows it, send a corrected claim with 59/XE/XS/XP/XU; otherwise the amount is not billable.",
    ),
}
_CATEGORY_OF = {carc: cat for cat, (carcs, _) in _BY_CATEGORY.items() for carc in carcs.split()}
_REMARK_HINTS = {
    "N54": "the claim conflicts with the authorization on file",
    "M80": "not covered when performed with another service on the same day",
    "N30": "the patient is not eligible for this service",
    "MA130": "the claim is incomplete or invalid: fix it and submit a new claim, not an appeal",
    "M51": "the procedure code is missing, incomplete or invalid",
    "M76": "the diagnosis is missing or incomplete",
    "N115": "decided under a local coverage determination (LCD)",
    "N386": "decided under a national coverage determination (NCD)",
    "MA04": "secondary payment cannot be considered without the primary's adjudication",
}


def category(carc: str) -> str:
    return _CATEGORY_OF.get(carc, OTHER)


def next_action(carc: str, remarks: Iterable[str] = ()) -> str:
    cat = category(carc)
    action = (
        _BY_CATEGORY[cat][1]
        if cat in _BY_CATEGORY
        else "Read the remark codes and the payer's policy; call the payer if unclear."
    )
    hints = [f"{r}: {_REMARK_HINTS[r]}" for r in remarks if r in _REMARK_HINTS]
    return action + (" (" + "; ".join(hints) + ")" if hints else "")


@dataclass(frozen=True, slots=True)
class QueueItem:
    claim_id: str
    payer_id: str
    group: str
    reason: str
    remarks: tuple[str, ...]
    amount: Decimal
    category: str
    action: str


def queue_item(
    claim_id: str, payer_id: str, group: str, reason: str, remarks: Iterable[str], amount: Decimal
) -> QueueItem:
    rarcs = tuple(remarks)
    return QueueItem(claim_id, payer_id, group, reason, rarcs, amount, category(reason), next_action(reason, rarcs))


def by_category(items: Iterable[QueueItem]) -> dict[str, list[QueueItem]]:
    """Items grouped by cause, in the order of `CATEGORIES`, largest amount first within each."""
    groups: dict[str, list[QueueItem]] = {c: [] for c in CATEGORIES}
    for item in items:
        groups[item.category].append(item)
    return {c: sorted(v, key=lambda i: (-i.amount, i.claim_id)) for c, v in groups.items() if v}


_ARGUMENTS = {
    ELIGIBILITY: "The patient's coverage was active on the date of service (see the enclosed eligibility response).",
    CODING: "The services were coded as documented; the enclosed note supports each code and modifier as billed.",
    NECESSITY: "The enclosed record documents the medical necessity of these services for the diagnoses billed.",
    AUTHORIZATION: "The service was authorized; the authorization number is on the enclosed corrected claim.",
    TIMELY: "The claim was filed in time: the enclosed acceptance report (999/277CA) shows the original receipt date.",
    DUPLICATE: "This is not a duplicate: the services were separate and distinct, as the enclosed note shows.",
    BUNDLING: "The service was separate and distinct from the other procedure that day (different session, site or "
    "encounter), as the enclosed note documents; the NCCI modifier indicator allows separate payment.",
}


def appeal_argument(category_name: str) -> str:
    """The case a biller makes for a denial of this kind (the letter's central paragraph)."""
    return _ARGUMENTS.get(category_name, "The enclosed records support payment of the services as billed.")
