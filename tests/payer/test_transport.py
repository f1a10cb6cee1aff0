"""The file-drop transport: whole files out, responses in, nothing read twice."""

from __future__ import annotations

from pathlib import Path

from openrcm.clearinghouse.transport import FileDropTransport

REMIT = Path(__file__).parent.parent / "fixtures" / "remit"


def test_file_drop_submits_whole_files_and_collects_each_response_once(tmp_path: Path) -> None:
    drop = FileDropTransport(tmp_path / "out", tmp_path / "in")
    assert drop.fetch() == []
    drop.submit("BATCH1.837", "ISA*00*~")
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["BATCH1.837"]  # no partial file left behind
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "r.835").write_text((REMIT / "c100.835").read_text())
    (responses,) = drop.fetch()
    assert responses.kind == "835" and "CLP*C100" in responses.text
    assert drop.fetch() == []
    assert (tmp_path / "in" / "processed" / "r.835").exists()
