"""BANT cells are checked on import against the grammar the lead capability defines."""

import pytest

from b2bgrowth.errors import ImportRejected
from b2bgrowth.interchange.importer import import_file
from b2bgrowth.leads.models import Lead


def test_bad_bant_values_are_named_and_nothing_is_written(ws, tmp_path):
    path = tmp_path / "leads.csv"
    path.write_text(
        "lead_id,created_at,name,company,budget,authority,need,timeline\n"
        "L1,2024-01-01,Li,Acme,5万,是,高,3-6个月\n"
        "L2,2024-01-02,Wang,Beta,maybe,yes,low,<3m\n"
        "L3,2024-01-03,Zhao,Gamma,50000,perhaps,medium,soon\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportRejected) as caught:
        import_file(ws, "leads", path)
    assert [str(e) for e in caught.value.errors] == [
        "line 3, id L2, column budget: 'maybe' is not yes/no/unknown or an amount (e.g. 50000, 5万)",
        "line 4, id L3, column authority: 'perhaps' is not yes/no (是/否, 决策人)",
        "line 4, id L3, column timeline: 'soon' is not a date, a number of months, or <3m / 3-6m / >6m / unknown",
    ]
    with ws.store.read() as session:
        assert session.query(Lead).count() == 0


def test_every_accepted_form_imports_as_written(ws, tmp_path):
    path = tmp_path / "leads.csv"
    path.write_text(
        "lead_id,created_at,name,budget,authority,need,timeline\n"
        "L1,2024-01-01,Li,unknown,no,a CRM for 200 reps,2024-06-30\n"
        "L2,2024-01-02,Wang,120000,yes,high,6\n"
        "L3,2024-01-03,Zhao,无,否,低,>6m\n",
        encoding="utf-8",
    )
    outcome = import_file(ws, "leads", path)
    assert outcome.inserted == 3
    with ws.store.read() as session:
        assert session.get(Lead, "L2").budget == "120000"  # kept as written; scoring interprets it
