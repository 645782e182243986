"""Export → import into an empty store is lossless, for every entity, as CSV and as XLSX."""

from __future__ import annotations

import pytest

from b2bgrowth.interchange.exporter import export_file
from b2bgrowth.interchange.importer import import_file

from .helpers import empty_store, load_samples, rows
from .samples import ORDER


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_every_entity_survives_export_and_reimport(ws, tmp_path, suffix):
    load_samples(ws, tmp_path)
    before = {entity: rows(ws, entity) for entity in ORDER}
    files = {}
    for entity in ORDER:
        files[entity] = tmp_path / f"export-{entity}{suffix}"
        assert export_file(ws, entity, files[entity]) == len(before[entity])

    empty_store(ws)
    for entity in ORDER:
        outcome = import_file(ws, entity, files[entity])
        assert outcome.errors == []
        assert outcome.inserted == len(before[entity]), entity
    after = {entity: rows(ws, entity) for entity in ORDER}
    for entity in ORDER:
        assert after[entity] == before[entity], entity


def test_csv_export_is_stable_and_opens_in_excel(ws, tmp_path):
    load_samples(ws, tmp_path)
    first = tmp_path / "a.csv"
    export_file(ws, "accounts", first)
    data = first.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel detects UTF-8
    assert data.decode("utf-8-sig").splitlines()[0] == (
        "account_id,name,industry,employees,annual_revenue,currency,region,type,tier,"
        "parent_account_id,owner,created_at,erp_code"
    )
    empty_store(ws)
    import_file(ws, "accounts", first)
    second = tmp_path / "b.csv"
    export_file(ws, "accounts", second)
    assert second.read_bytes() == data


def test_custom_attributes_are_kept_and_exported(ws, tmp_path):
    load_samples(ws, tmp_path, upto="contacts")
    out = tmp_path / "accounts.csv"
    export_file(ws, "accounts", out)
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].endswith(",erp_code")
    assert lines[1] == "A1,Acme Group,SaaS,1200,1500000000.25,CNY,华东,direct,,,alice,2023-01-05 09:30:00,E-001"
    assert lines[2] == 'A2,"Beta, Ltd.",Retail,150,,USD,North,channel,KA,A1,王伟,2023-02-01 00:00:00,'
    from b2bgrowth.accounts.models import Account

    with ws.store.read() as session:
        assert session.get(Account, "A1").attributes == {"erp_code": "E-001"}
        assert session.get(Account, "A2").attributes is None
