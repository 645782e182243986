"""Lead imports may carry an optional reason column (issue 3 item 4)."""

from __future__ import annotations

from b2bgrowth.interchange.importer import import_file
from b2bgrowth.leads import dedupe


def test_reason_column_is_imported_under_either_header(ws, tmp_path):
    english = tmp_path / "leads.csv"
    english.write_text("lead_id,email,status,reason\nL1,a@x.com,disqualified,student\nL2,b@x.com,new,\n",
                       encoding="utf-8")
    assert import_file(ws, "leads", english).errors == []
    chinese = tmp_path / "线索.csv"
    chinese.write_text("线索ID,邮箱,状态,不合格原因\nL3,c@x.com,nurture,预算不足\n", encoding="utf-8")
    assert import_file(ws, "leads", chinese).errors == []
    rows = dedupe.load_leads_by_id(ws, ["L1", "L2", "L3"]).sort_values("lead_id")
    assert rows["disqualification_reason"].fillna("").tolist() == ["student", "", "预算不足"]
    assert rows["status"].tolist() == ["disqualified", "new", "nurture"]
