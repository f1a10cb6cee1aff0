from openrcm.core.issue import Issue, Location, Severity


def test_issue_reads_as_a_located_message() -> None:
    issue = Issue("X1", Severity.ERROR, "bad code", Location(file="a.xml", line=3, column=7, code="E11.2Z"))
    assert str(issue) == "[error] X1: bad code (a.xml, line 3, column 7, code E11.2Z)"
