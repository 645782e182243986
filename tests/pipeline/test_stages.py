"""Stages: a stage first seen in an import is added; the move API records changes and checks roles."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from b2bgrowth.auth import service
from b2bgrowth.interchange.importer import import_file
from b2bgrowth.pipeline.models import OpportunityStageChange
from b2bgrowth.pipeline.stages import load_stages
from tests.channels.helpers import dt, put


def test_import_adds_unknown_stages_and_records_history(ws, tmp_path):
    path = tmp_path / "opportunities.csv"
    path.write_text("opportunity_id,name,stage,amount,status,created_at\n"
                    "O1,a,需求确认,100,open,2026-01-01\n"
                    "O2,b,POC 测试,200,open,2026-01-02\n"
                    "O3,c,Signed,300,won,2026-01-03\n", encoding="utf-8")
    import_file(ws, "opportunities", path)
    stages = {s.name: s for s in load_stages(ws)}
    assert stages["POC 测试"].is_closed is False and stages["POC 测试"].order == 50  # after 合同审批 (40)
    assert stages["POC 测试"].probability == 0.8                                   # the last open stage's
    assert stages["Signed"].is_closed is True and stages["Signed"].probability == 1.0  # only won deals use it
    with ws.store.read() as s:
        first = s.execute(select(OpportunityStageChange.opportunity_id, OpportunityStageChange.to_stage)).all()
    assert sorted(first) == [("O1", "需求确认"), ("O2", "POC 测试"), ("O3", "Signed")]
    # re-import with O1 moved: one more change, from 需求确认 to 方案演示; unchanged rows add nothing
    path.write_text(path.read_text(encoding="utf-8").replace("O1,a,需求确认", "O1,a,方案演示"), encoding="utf-8")
    import_file(ws, "opportunities", path)
    with ws.store.read() as s:
        moves = s.execute(select(OpportunityStageChange.from_stage, OpportunityStageChange.to_stage)
                          .where(OpportunityStageChange.opportunity_id == "O1")
                          .order_by(OpportunityStageChange.change_id)).all()
    assert moves == [(None, "需求确认"), ("需求确认", "方案演示")]


@pytest.fixture
def api(ws):
    from b2bgrowth.web.app import create_app

    tokens = {}
    for role in ("admin", "sales", "viewer", "ops"):
        service.create_user(ws, role, role, "a-long-password-123")
        tokens[role] = service.create_token(ws, role)
    put(ws, "Opportunity", {"opportunity_id": "O1", "stage": "需求确认", "amount": 100.0, "status": "open",
                            "created_at": dt("2026-01-01 09:00")})
    with TestClient(create_app(ws)) as client:
        yield client, tokens


def test_move_records_change_and_checks_roles(api, ws):
    client, tokens = api

    def move(role, stage, oid="O1"):
        return client.post(f"/api/v1/opportunities/{oid}/stage", json={"stage": stage},
                           headers={"Authorization": f"Bearer {tokens[role]}"})

    assert move("viewer", "方案演示").status_code == 403
    assert move("ops", "方案演示").status_code == 403
    ok = move("sales", "方案演示")
    assert ok.status_code == 200, ok.text
    assert ok.json()["from"] == "需求确认" and ok.json()["to"] == "方案演示" and ok.json()["status"] == "open"
    assert move("admin", "no such stage").status_code == 422
    assert move("admin", "方案演示", oid="nope").status_code == 404
    won = move("admin", "赢单")
    assert won.status_code == 200 and won.json()["status"] == "won"
    with ws.store.read() as s:
        rows = s.execute(select(OpportunityStageChange.from_stage, OpportunityStageChange.to_stage,
                                OpportunityStageChange.by).order_by(OpportunityStageChange.change_id)).all()
    assert rows == [("需求确认", "方案演示", "sales"), ("方案演示", "赢单", "admin")]
    listed = client.get("/api/v1/pipeline/stages", headers={"Authorization": f"Bearer {tokens['viewer']}"})
    assert [s["name"] for s in listed.json()["stages"]][:2] == ["需求确认", "方案演示"]
