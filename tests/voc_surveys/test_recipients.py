"""Recipient selection by tier / role / stage / type / owner, tokens, languages (hand-checked against seed.py)."""

from __future__ import annotations

import pytest
from seed import T0, tokens

from b2bgrowth.voc.surveys import service


def chosen(ws, **filters) -> list[str]:
    survey = service.create_survey(ws, "probe", now=T0)
    service.add_recipients(ws, survey["survey_id"], filters, now=T0)
    return sorted(tokens(ws, survey["survey_id"]))


@pytest.mark.parametrize("filters, expected", [
    ({}, ["C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8"]),                     # no filter: every contact
    ({"tier": "KA"}, ["C1", "C2", "C3"]),
    ({"tier": ["KA", "CA"], "role": "decision_maker"}, ["C1", "C4"]),
    ({"stage": "onboarding,at_risk"}, ["C6", "C7"]),
    ({"type": "direct", "owner": "王磊"}, ["C1", "C2", "C3", "C6"]),
    ({"role": "user", "tier": "SMB"}, ["C6"]),
    ({"role": "purchaser", "stage": "mature"}, []),
])
def test_selection_by_account_and_contact_attributes(company, filters, expected):
    assert chosen(company, **filters) == expected


def test_preview_counts_contacts_accounts_and_reachable(company):
    # KA: C1 (e-mail), C2 (WeChat), C3 (no channel) at one account → 3 contacts, 2 reachable.
    assert service.preview(company, {"tier": "KA"}) == {
        "contacts": 3, "reachable": 2, "accounts": 1, "filters": {"tier": ["KA"]}}


@pytest.mark.parametrize("filters, message", [
    ({"colour": "red"}, "filter 'colour': unknown"),
    ({"tier": "KA,XX"}, "filter tier: 'XX' not one of KA, CA, SMB"),
    ({"stage": "teenage"}, "filter stage: 'teenage'"),
])
def test_bad_filters_are_named(company, filters, message):
    with pytest.raises(service.SurveyError, match=message):
        service.preview(company, filters)


def test_adding_again_adds_only_new_contacts_and_unreachable_are_kept(company):
    survey = service.create_survey(company, "Q1", survey_id="q1", now=T0)
    first = service.add_recipients(company, "q1", {"tier": "KA"}, now=T0)
    assert first == {"added": 3, "already": 0, "unreachable": 1}                # C3 has no channel, still listed
    second = service.add_recipients(company, "q1", {"tier": ["KA", "CA"]}, now=T0)
    assert second == {"added": 2, "already": 3, "unreachable": 0}               # C4, C5 new
    rows = {r["contact_id"]: r for r in service.recipients(company, survey["survey_id"], "https://x.example")}
    assert sorted(rows) == ["C1", "C2", "C3", "C4", "C5"]
    assert rows["C3"]["reachable"] is False and rows["C3"]["channels"] == []
    assert rows["C2"]["channels"] == ["wechat"] and rows["C2"]["language"] == "en"   # contact attribute en-US
    assert rows["C1"]["language"] is None
    assert rows["C1"]["link"] == f"https://x.example/s/{rows['C1']['token']}"


def test_tokens_are_unique_and_unguessable(company):
    for i in range(5):
        service.create_survey(company, f"S{i}", survey_id=f"s{i}", now=T0)
        service.add_recipients(company, f"s{i}", {}, now=T0)
    every = [t for i in range(5) for t in tokens(company, f"s{i}").values()]
    assert len(every) == 40 and len(set(every)) == 40
    assert all(len(t) >= 32 for t in every)          # token_urlsafe(24): 192 random bits, 32 characters


def test_closed_survey_takes_no_new_recipients(company):
    service.create_survey(company, "Q1", survey_id="q1", now=T0)
    service.set_status(company, "q1", "open")
    service.set_status(company, "q1", "closed")
    with pytest.raises(service.SurveyError, match="closed; reopen"):
        service.add_recipients(company, "q1", {})
    with pytest.raises(service.SurveyError, match="a closed survey cannot become draft"):
        service.set_status(company, "q1", "draft")


@pytest.mark.parametrize("kwargs, message", [
    ({"name": " "}, "name: required"),
    ({"name": "x", "opens_on": "2025-03-01", "closes_on": "2025-02-01"}, "closes_on .* is before opens_on"),
    ({"name": "x", "opens_on": "2025-13-01"}, "opens_on: '2025-13-01' is not a date"),
    ({"name": "x", "survey_id": "bad id!"}, "survey_id: 'bad id!'"),
])
def test_create_rejects_bad_input_naming_the_field(company, kwargs, message):
    with pytest.raises(service.SurveyError, match=message):
        service.create_survey(company, **kwargs)


def test_duplicate_survey_id(company):
    service.create_survey(company, "Q1", survey_id="q1")
    with pytest.raises(service.SurveyError, match="exists already"):
        service.create_survey(company, "Q1 again", survey_id="q1")
