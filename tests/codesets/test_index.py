"""The Alphabetic Index walk, on the FY2025 index and tables and on our own small fixture."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from openrcm.codesets import CodeSets
from openrcm.codesets.icd10cm.index import parse_index_csv, parse_index_xml

DOS = dt.date(2026, 6, 1)


def _release(code_sets: CodeSets):  # type: ignore[no-untyped-def]
    return code_sets.icd10cm.for_date(DOS)


def test_diabetes_type_2_with_ckd_reaches_e11_22(code_sets: CodeSets) -> None:
    hits = _release(code_sets).lookup("diabetes type 2 with chronic kidney disease")
    best = hits[0]
    assert best.code == "E11.22"
    assert best.path == ("Diabetes, diabetic", "type 2", "with", "chronic kidney disease")
    assert best.unmatched_query == ()


def test_nonessential_modifiers_and_subterms(code_sets: CodeSets) -> None:
    release = _release(code_sets)
    assert release.lookup("pneumonia aspiration")[0].code == "J69.0"
    assert release.lookup("acute pneumonia")[0].code == "J18.9"  # "(acute)" is non-essential
    assert release.lookup("chest pain")[0].code == "R07.9"


def test_see_reference_is_followed(code_sets: CodeSets) -> None:
    hit = _release(code_sets).lookup("brittle diabetes")[0]
    assert hit.code == "E10.9"
    assert hit.followed_see == ("Diabetes, type 1",)


def test_drug_table_gives_poisoning_and_adverse_effect_codes(code_sets: CodeSets) -> None:
    release = _release(code_sets)
    assert release.drugs is not None
    hit = release.drugs.search("acetaminophen")[0]
    cells = dict(hit.cells)
    assert cells["Poisoning Accidental (unintentional)"] == "T39.1X1"
    assert cells["Poisoning Intentional self-harm"] == "T39.1X2"
    assert cells["Adverse effect"] == "T39.1X5"
    assert cells["Underdosing"] == "T39.1X6"
    # the table gives six characters; the Tabular List wants the 7th
    assert release.describe("T39.1X1").requires_seventh
    assert release.is_billable("T39.1X1A")


def test_neoplasm_table_gives_behaviour_columns(code_sets: CodeSets) -> None:
    release = _release(code_sets)
    assert release.neoplasm is not None
    hit = release.neoplasm.search("lung")[0]
    cells = dict(hit.cells)
    assert hit.path == ("Neoplasm, neoplastic", "lung")
    assert cells["Malignant Primary"] == "C34.9"
    assert cells["Malignant Secondary"] == "C78.0"
    assert cells["Ca in situ"] == "D02.2"
    assert cells["Benign"] == "D14.3"


def test_external_cause_index(code_sets: CodeSets) -> None:
    release = _release(code_sets)
    assert release.external_cause is not None
    assert release.external_cause.search("fall from ladder")[0].code == "W11"


def test_fixture_index_xml_manifestation_and_see(fixtures: Path) -> None:
    index = parse_index_xml(fixtures / "icd10cm" / "mini-index-2031.xml", "index")
    hit = index.search("dementia in alzheimer's disease")[0]
    assert (hit.code, hit.manifestation) == ("G30.9", "F02.80")
    diabetes = index.terms[index.by_title["diabetes, diabetic"]]
    assert diabetes.nonessential == ("mellitus", "sugar")
    assert index.search("diabetes mellitus")[0].code == "E11.9"
    brittle = index.search("brittle diabetes")[0]
    assert brittle.followed_see == ("Diabetes, type 2",) and brittle.code == "E11.9"


def test_a_note_row_of_the_flattened_index_is_no_term(tmp_path: Path) -> None:
    """The flattening writes an Index note as a term at its annotated term's level; the rows under it
    are that term's subterms."""
    path = tmp_path / "index.csv"
    path.write_text(
        "RowID,Letter,Level,Term,See,SeeAlso,NonEssModif,Code\n"
        '1,F,0,"Failure, failed",,,,\n'
        "2,F,1,heart,,,,I50.9\n"
        "3,F,2,diastolic,,,,I50.30\n"
        '4,F,1,"Note: heart failure stages A, B, C, and D are based on...",,,,\n'
        "5,F,2,systolic,,,,I50.20\n"
        "6,F,3,chronic,,,,I50.22\n"
    )
    index = parse_index_csv(path)
    assert [hit.path for hit in index.search("chronic systolic heart failure", limit=1)] == [
        ("Failure, failed", "heart", "systolic", "chronic")
    ]
    assert not any(term.title.startswith("Note") for term in index.terms)


def test_words_in_square_brackets_are_synonyms_that_need_not_be_said(tmp_path: Path) -> None:
    """ "Abnormal, electrocardiogram [ECG] [EKG]": the bracketed words are alternatives, kept as
    non-essential modifiers; a note that says "abnormal electrocardiogram" leaves nothing of the path
    unsaid (the lexicon spells "ECG" out before the walk)."""
    path = tmp_path / "index.csv"
    path.write_text(
        "RowID,Letter,Level,Term,See,SeeAlso,NonEssModif,Code\n"
        '1,A,0,"Abnormal, abnormality, abnormalities",,,,R68.89\n'
        "2,A,1,electrocardiogram [ECG] [EKG],,,,R94.31\n"
        "3,A,1,electroencephalogram [EEG],,,,R94.01\n"
    )
    index = parse_index_csv(path)
    for query in ("abnormal electrocardiogram", "abnormal electrocardiogram (EKG)"):
        hit = index.search(query, limit=1)[0]
        assert (hit.code, hit.penalty) == ("R94.31", 0.0), query
    assert index.terms[1].title == "electrocardiogram" and index.terms[1].nonessential == ("ECG", "EKG")


def test_a_modifier_with_parentheses_of_its_own_is_read_whole(tmp_path: Path) -> None:
    """ "Fracture, traumatic, nasal (bone(s))": the modifier is "bone(s)", not "s", so "nasal bone fracture"
    is S02.2 with nothing unsaid (it was coded "bone NEC", T14.8)."""
    path = tmp_path / "index.csv"
    path.write_text(
        "RowID,Letter,Level,Term,See,SeeAlso,NonEssModif,Code\n"
        '1,F,0,"Fracture, traumatic",,,,T14.8\n'
        "2,F,1,bone NEC,,,,T14.8\n"
        "3,F,1,nasal,,,(bone(s)),S02.2\n"
    )
    index = parse_index_csv(path)
    assert index.terms[2].nonessential == ("bone(s)",)
    hit = index.search("nasal bone fracture", limit=1)[0]
    assert (hit.code, hit.unmatched_query) == ("S02.2", ())


def test_words_the_flattening_moved_into_the_modifier_column_are_the_titles(tmp_path: Path) -> None:
    """The flattened CSV moves the words after a term's first modifier into the modifier column:
    "Normocytic anemia (infectional) due to blood loss (chronic)" is a term for blood loss, not for a
    normocytic anemia; "Amnes" + "(t)ic syndrome" is "Amnestic syndrome"."""
    path = tmp_path / "index.csv"
    path.write_text(
        "RowID,Letter,Level,Term,See,SeeAlso,NonEssModif,Code\n"
        "1,A,0,Anemia,,,,D64.9\n"
        "2,A,1,normocytic,,,(infectional),D64.9\n"
        "3,N,0,Normocytic anemia,,,(infectional) due to blood loss (chronic),D50.0\n"
        "4,A,0,Amnes,,,(t)ic syndrome (post-traumatic),F04\n"
        "5,B,0,breast,,,(s) (and nipple(s)) (acquired),Z90.1-\n"
    )
    index = parse_index_csv(path)
    titles = [term.title for term in index.terms]
    assert titles == ["Anemia", "normocytic", "Normocytic anemia due to blood loss", "Amnestic syndrome", "breast"]
    assert index.search("normocytic anemia", limit=1)[0].code == "D64.9"


def test_plurals_in_sses_and_shes_are_stemmed() -> None:
    from openrcm.codesets.icd10cm.index import words

    assert words("liver abscesses, rashes, masses") == ("liver", "abscess", "rash", "mass")
    assert words("headaches") == ("headache",)  # "-ches" keeps its e
    assert words("ethmoid sinuses, viruses, abuses") == ("ethmoid", "sinus", "virus", "abuse")


def test_of_paths_alike_the_one_in_the_querys_own_words_wins(code_sets: CodeSets) -> None:
    # "aortic" and "aorta" are one word to the walk; the Index's "Stenosis, aortic (valve)" is said as written
    assert _release(code_sets).lookup("aortic stenosis")[0].code == "I35.0"
    assert _release(code_sets).lookup("liver abscesses")[0].code == "K75.0"


def test_of_sibling_subterms_alike_the_head_of_the_querys_compound_wins(code_sets: CodeSets) -> None:
    # "hair dye" is a dye ("due to, dyes" L23.4), not hair ("due to, hair" L23.81, animal dander)
    found = _release(code_sets).lookup("allergic contact dermatitis of hands due to hair dye")[0]
    assert (found.path[-1], found.code) == ("dyes", "L23.4")
    # two adjectives side by side are not a compound: the perineal pain is not made testicular
    ranked = [hit.code for hit in _release(code_sets).lookup("bilateral and perineal testicular pain")]
    assert ranked.index("R10.2") < ranked.index("N50.81")


def test_of_paths_alike_the_one_leaving_a_qualifier_unsaid_wins(code_sets: CodeSets) -> None:
    # "Solitary, cyst, kidney" names a cyst the query does not; "Solitary, kidney, congenital" only qualifies
    assert _release(code_sets).lookup("solitary kidney")[0].code == "Q60.0"


def test_a_see_also_is_followed_from_a_main_terms_first_form_said_whole(code_sets: CodeSets) -> None:
    # "Necrosis, necrotic - see also Gangrene": "necrosis" says the main term; the adjectives
    # "Abnormal - see also Anomaly" and "Sensitive - see also Allergy" send nothing on
    release = _release(code_sets)
    assert release.lookup("necrosis")[0].code == "I96"
    assert all(h.code != "Q89.9" for h in release.lookup("abnormal corticomedullary differentiation"))
    assert all(not (h.code or "").startswith("T78.4") for h in release.lookup("sensitive to vancomycin"))


def test_a_connective_with_a_code_of_its_own_is_no_presumed_link(code_sets: CodeSets) -> None:
    # the flattening cut "Gout, in (due to) renal impairment" to "in" (M10.30); a gout of the foot is not
    # one due to renal impairment
    release = _release(code_sets)
    assert not release.lookup("gout right metatarsophalangeal joint")[0].code.startswith("M10.3")
    assert release.lookup("diabetes type 2 with chronic kidney disease")[0].code == "E11.22"


def test_a_titles_words_inside_a_modifier_element_stay_the_titles() -> None:
    import xml.etree.ElementTree as ET

    from openrcm.codesets.icd10cm.index import _split_title

    # the Neoplasm Table writes the cystic duct as "cystic<nemod>(bile) duct (common)</nemod>"
    cystic = ET.fromstring("<title>cystic<nemod>(bile) duct (common)</nemod></title>")
    assert _split_title(cystic) == ("cystic duct", ("bile", "common"))
    assert _split_title(ET.fromstring("<title>Asthma<nemod>(bronchial) (allergic NOS)</nemod></title>")) == (
        "Asthma",
        ("bronchial", "allergic NOS"),
    )


def test_a_without_subterm_needs_its_words_said_after_without(code_sets: CodeSets) -> None:
    release = _release(code_sets)
    # "without fever" leaves the nausea said, not absent: "Vomiting, without nausea" (R11.11) does not apply
    assert release.lookup("nausea and vomiting without fever")[0].code != "R11.11"
    assert release.lookup("vomiting without nausea")[0].code == "R11.11"


def test_a_site_said_without_a_kind_is_placed_under_the_kind_the_index_calls_primary(code_sets: CodeSets) -> None:
    # "Gout, gouty, primary - see Gout, idiopathic": idiopathic is the default kind, and only the kinds list sites
    release = _release(code_sets)
    assert release.lookup("gout of the left knee")[0].code == "M10.06"
    assert release.lookup("chronic gout of the right ankle")[0].code == "M1A.07"
    assert release.lookup("gout")[0].code == "M10.9"
    assert release.lookup("drug-induced gout of the knee")[0].code == "M10.26"


def test_a_testicle_is_the_index_s_testis(code_sets: CodeSets) -> None:
    release = _release(code_sets)
    assert release.lookup("pain in the right testicle")[0].code == "N50.81"
    assert release.lookup("pain in both testicles")[0].code == "N50.81"


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("pneumonia of the left lung", "J18.9"),  # "Pneumonia, with, lung abscess" is not entered by "lung"
        ("pneumonia with lung abscess", "J85.1"),
        ("ocular toxoplasmosis", "B58.00"),  # a generic noun ("ocular involvement") leaves its site to say it
    ],
)
def test_a_linked_condition_is_said_by_its_noun_not_its_site(code_sets: CodeSets, query: str, code: str) -> None:
    assert _release(code_sets).lookup(query)[0].code == code
