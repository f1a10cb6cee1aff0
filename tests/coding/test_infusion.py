"""Drugs and fluids given into a vein: the time a note gives, and CPT's administration codes and hierarchy."""

from __future__ import annotations

import pytest

from openrcm.coding.coder import Coder
from openrcm.coding.infusion import Administration, Timing, administration_services, timing
from openrcm.coding.model import CodedEncounter, Evidence

from .conftest import ctx, lines

HEADER = "CLINIC - Established patient visit\nProvider: Test Doctor, MD (Internal Medicine)\n\n"


def visit(coder: Coder, given: str) -> CodedEncounter:
    note = (
        f"{HEADER}HPI: Seen for treatment.\n\n{given}\n\nAssessment/Plan:\n1. Crohn's disease of small intestine "
        "without complications.\n2. Dehydration.\n\nElectronically signed: Test Doctor, MD\n"
    )
    return coder.code(note, ctx(45))


@pytest.mark.parametrize(
    ("text", "minutes", "interval"),
    [
        ("Infusion started at 09:10, completed at 11:25.", 135, (550, 685)),
        ("Start time 1005, stop time 1120.", 75, (605, 680)),
        ("Started at 2:50 pm, stopped at 3:40 pm.", 50, (890, 940)),
        # a stop before the start, with no am or pm: past noon
        ("NS 1 L from 11:30 to 1:15.", 105, (690, 795)),
        ("1 L NS bolus infused 0930-1045.", 75, (570, 645)),
        ("Infused over 1.5 hours.", 90, None),
        ("Infused over 2 hours 15 minutes.", 135, None),
        ("Infusion time: 75 minutes.", 75, None),
        ("A 60-minute infusion.", 60, None),
        ("Given over one hour.", 60, None),
    ],
)
def test_the_time_an_infusion_ran_is_read_from_its_clock_times_or_its_duration(
    text: str, minutes: int, interval: tuple[int, int] | None
) -> None:
    assert timing(text) == Timing(minutes, interval)


@pytest.mark.parametrize(
    "text",
    [
        "Started 1000 mL NS bolus.",  # a volume, not a clock time
        "Observed for 30 minutes after the infusion.",  # the time of something else
        "Infusion started at 09:10.",  # no stop
        "NS 1000-1500 mL given.",  # volumes, not a clock range
    ],
)
def test_what_is_no_infusion_time_gives_none(text: str) -> None:
    assert timing(text) is None


def _given(kind: str, infused: bool, minutes: int | None, interval: tuple[int, int] | None = None) -> Administration:
    timed = Timing(minutes, interval) if minutes is not None else None
    return Administration("drug (J0000)", kind, infused, timed, False, Evidence(0, 1, "x", "procedure"), (0, 1))  # type: ignore[arg-type]


def _codes(given: list[Administration]) -> list[tuple[str, int]]:
    services, _ = administration_services(given)
    return sorted((s.code, s.units) for s in services)


def test_further_hours_count_once_more_than_half_of_them_has_run() -> None:
    assert _codes([_given("therapeutic", True, 90)]) == [("96365", 1)]
    assert _codes([_given("therapeutic", True, 91)]) == [("96365", 1), ("96366", 1)]
    assert _codes([_given("therapeutic", True, 151)]) == [("96365", 1), ("96366", 2)]
    assert _codes([_given("complex", True, 255)]) == [("96413", 1), ("96415", 3)]
    # hydration needs 31 minutes; alone it is initial, after another service secondary
    assert _codes([_given("hydration", True, 30)]) == []
    assert _codes([_given("hydration", True, 31)]) == [("96360", 1)]
    assert _codes([_given("hydration", True, 130)]) == [("96360", 1), ("96361", 1)]
    assert _codes([_given("therapeutic", False, None), _given("hydration", True, 130)]) == [("96361", 2), ("96374", 1)]


def test_one_initial_service_the_highest_of_the_hierarchy_and_the_rest_sequential() -> None:
    given = [
        _given("therapeutic", False, None),
        _given("therapeutic", True, 40),
        _given("complex", True, 70),
        _given("therapeutic", True, 20),
    ]
    assert _codes(given) == [("96367", 2), ("96375", 1), ("96413", 1)]
    # an infusion of 15 minutes or less is a push
    assert _codes([_given("therapeutic", True, 15)]) == [("96374", 1)]
    assert _codes([_given("complex", False, None), _given("complex", False, None)]) == [("96409", 1), ("96411", 1)]


def test_hydration_is_not_billed_for_the_minutes_a_drug_infusion_shares() -> None:
    drug = _given("therapeutic", True, 90, (600, 690))
    fluid = _given("hydration", True, 105, (600, 705))
    services, unbilled = administration_services([drug, fluid])
    assert [(s.code, s.units) for s in services] == [("96365", 1)]
    assert "15 minutes" in unbilled[0][0]


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        # a monoclonal antibody is a highly complex drug: 96413 and its further hours, the premedications pushed next
        (
            "Infusion: Rituximab 375 mg/m2 (700 mg) IV. Start time 0900, stop time 1315. Diphenhydramine 50 mg IV "
            "push and ondansetron 8 mg IV push before the infusion.",
            [("96375", 2), ("96413", 1), ("96415", 3), ("J1200", 1), ("J2405", 8), ("J9312", 70)],
        ),
        # the saline that carries the drug is no hydration, and no bag of its own
        (
            "Procedure: Ceftriaxone 1 g in 100 mL NS IV over 30 minutes. Ondansetron 4 mg IV push given.",
            [("96365", 1), ("96375", 1), ("J0696", 4), ("J2405", 4)],
        ),
        ("Procedure: Normal saline 1 L IV bolus given, started 10:05, stopped 11:20.", [("96360", 1), ("J7030", 1)]),
        # hydration after a push is secondary (96361); the push, not the fluid, is the initial service
        (
            "Procedure: Patient given 1 liter lactated Ringer's IV over 45 minutes and ketorolac 30 mg IV.",
            [("96361", 1), ("96374", 1), ("J1885", 2), ("J7120", 1)],
        ),
        ("Procedure: NS 2 L IV hydration from 10:00 to 12:10.", [("96360", 1), ("96361", 1), ("J7030", 2)]),
        ("Procedure: Zoledronic acid 5 mg IV over 15 minutes.", [("96374", 1), ("J3489", 5)]),
        ("Procedure: Normal saline at KVO. Ketorolac 30 mg IV push.", [("96374", 1), ("J1885", 2)]),
        # "IVPB" is a route, "gm" grams; the antiemetics an urgent care pushes after it are further pushes
        (
            "Procedure: Ceftriaxone 1 gm IVPB over 30 min. Compazine 10 mg IV push. Reglan 10 mg IV.",
            [("96365", 1), ("96375", 2), ("J0696", 4), ("J0780", 1), ("J2765", 1)],
        ),
        # methylprednisolone into a vein is the sodium succinate, by its dose (40 mg J2920, 125 mg J2930)
        ("Procedure: Methylprednisolone 40 mg IV given.", [("96374", 1), ("J2920", 1)]),
        ("Procedure: Solu-Medrol 125 mg IV push given.", [("96374", 1), ("J2930", 1)]),
        # each drug by the route its own clause says
        (
            "Procedure: Ceftriaxone 1 g IM and ondansetron 4 mg IV given.",
            [("96372", 1), ("96374", 1), ("J0696", 4), ("J2405", 4)],
        ),
    ],
)
def test_a_visit_s_drugs_and_fluids_into_a_vein_are_billed_by_time_and_hierarchy(
    coder: Coder, given: str, expected: list[tuple[str, int]]
) -> None:
    enc = visit(coder, given)
    assert sorted((code, units) for code, _, units in lines(enc) if not code.startswith("992")) == expected


def test_an_infusion_without_its_times_bills_the_drug_and_asks_for_them(coder: Coder) -> None:
    enc = visit(coder, "Procedure: Infliximab 5 mg/kg (350 mg) IV given.")
    assert [(code, units) for code, _, units in lines(enc) if not code.startswith("992")] == [("J1745", 35)]
    finding = next(f for f in enc.findings if f.code == "INFUSION_NOT_BILLED")
    assert "infliximab (J1745)" in finding.message and finding.location.span is not None
    # a fluid run beside a drug for all but 15 minutes: the drug's infusion, and why the hydration is not billed
    both = visit(
        coder,
        "Procedure: Iron sucrose 300 mg IV infusion from 10:00 to 11:30. Normal saline 1 L IV hydration from 10:00 "
        "to 11:45.",
    )
    assert sorted((c, u) for c, _, u in lines(both) if not c.startswith("992")) == [
        ("96365", 1),
        ("J1756", 300),
        ("J7030", 1),
    ]
    assert any("Hydration of 15 minutes" in f.message for f in both.findings)


def test_an_infusion_visit_with_no_examination_is_the_infusion_not_an_e_m(coder: Coder) -> None:
    note = (
        "INFUSION CENTER - Nursing infusion note\n\nReason for visit: Scheduled infliximab maintenance infusion.\n\n"
        "Infusion:\nPremedications: acetaminophen 650 mg PO and diphenhydramine 25 mg IV push at 09:00.\n"
        "Infliximab 5 mg/kg (350 mg) in 250 mL normal saline IV. Infusion started at 09:10 and completed at 11:25.\n"
        "Tolerated without reaction. Observed for 30 minutes after the infusion.\n\nAssessment:\n1. Crohn's disease "
        "of small intestine without complications, on maintenance infliximab.\n\nElectronically signed: J. Nurse, RN\n"
    )
    enc = coder.code(note, ctx(45))
    assert enc.em_code is None and "infusions" in enc.em.reasoning[0]
    assert sorted((c, u) for c, _, u in lines(enc)) == [
        ("96375", 1),
        ("96413", 1),
        ("96415", 1),
        ("J1200", 1),
        ("J1745", 35),
    ]


def test_hydration_points_to_the_dehydration_it_treats(coder: Coder) -> None:
    note = (
        f"{HEADER}CC: Vomiting and diarrhea x 2 days.\n\nHPI: Unable to keep fluids down. Lightheaded.\n\n"
        "Exam: Dry mucous membranes, tachycardic to 112.\n\nTreatment in office:\n- Ondansetron 4 mg IV push at "
        "14:05.\n- Normal saline 1 liter IV bolus, started 14:10, completed 15:20.\n\nAssessment/Plan:\n1. Acute "
        "gastroenteritis - supportive care.\n2. Dehydration - treated with IV fluids today, improved.\n\n"
        "Electronically signed: Test Doctor, MD\n"
    )
    enc = coder.code(note, ctx(34, "M"))
    assert [d.code for d in enc.diagnoses] == ["K52.9", "E86.0"]
    pointed = {p.code: (p.units, p.diagnosis_pointers) for p in enc.procedures}
    assert pointed["96374"] == (1, (1,))  # the push is the initial service; hydration after it is secondary
    assert pointed["96361"] == (1, (2,)) and pointed["J7030"] == (1, (2,))
