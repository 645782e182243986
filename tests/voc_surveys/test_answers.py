"""Answers → nps_responses, the one-answer-per-token rule, closed surveys, reminders (seed.py company)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from seed import T0, tokens
from sqlalchemy import select

from b2bgrowth.voc.models import NpsResponse
from b2bgrowth.voc.surveys import service


@pytest.fixture
def survey(company):
    service.create_survey(company, "Q1 NPS", survey_id="q1", now=T0)
    service.add_recipients(company, "q1", {"tier": ["KA", "CA"]}, now=T0)   # C1..C5
    service.set_status(company, "q1", "open")
    return tokens(company, "q1")


def responses(ws) -> list[NpsResponse]:
    with ws.store.read() as s:
        rows = list(s.scalars(select(NpsResponse).order_by(NpsResponse.response_id)))
        s.expunge_all()
    return rows


def test_answer_lands_in_nps_responses_with_survey_attributes(company, survey):
    result = service.respond(company, survey["C1"], "9", "很好用", now=T0 + timedelta(days=1), language="zh_CN")
    assert result["created"] is True
    [row] = responses(company)
    assert (row.account_id, row.contact_id, row.score, row.comment) == ("A1", "C1", 9, "很好用")
    assert row.at == T0 + timedelta(days=1)
    assert row.attributes["survey_id"] == "q1" and row.attributes["source"] == "survey"
    assert isinstance(row.attributes["recipient"], int)
    # The existing NPS report sees it: one promoter in February 2025 → NPS 100.
    nps = company.report("nps", period="month", **{"from": "2025-02-01", "to": "2025-02-28"})["periods"]
    assert nps[0]["responses"] == 1 and nps[0]["nps"] == 100.0


def test_resubmission_overwrites_the_same_response(company, survey):
    service.respond(company, survey["C2"], 3, "太慢", now=T0 + timedelta(days=1))
    again = service.respond(company, survey["C2"], 8, "好多了", now=T0 + timedelta(days=2))
    assert again["created"] is False
    [row] = responses(company)
    assert (row.score, row.comment, row.at) == (8, "好多了", T0 + timedelta(days=2))  # latest answer, dated when given
    assert row.attributes["submissions"] == 2
    assert row.attributes["first_at"] == (T0 + timedelta(days=1)).isoformat()
    [recipient] = [r for r in service.recipients(company, "q1") if r["contact_id"] == "C2"]
    assert recipient["responded_at"] == T0 + timedelta(days=1)                       # first answer kept


@pytest.mark.parametrize("score", [11, -1, "x", "", None, 7.5])
def test_scores_outside_0_to_10_are_refused(company, survey, score):
    with pytest.raises(service.SurveyError, match="score"):
        service.respond(company, survey["C1"], score)
    assert responses(company) == []


def test_closed_draft_and_out_of_window_surveys_refuse_answers(company, survey):
    service.set_status(company, "q1", "closed")
    with pytest.raises(service.SurveyError, match="not accepting answers \\(closed\\)"):
        service.respond(company, survey["C1"], 9)
    service.set_status(company, "q1", "open")                          # reopened
    service.respond(company, survey["C1"], 9, now=T0)
    service.create_survey(company, "later", survey_id="later", opens_on="2025-03-01", closes_on="2025-03-31", now=T0)
    service.add_recipients(company, "later", {"tier": "KA"}, now=T0)
    late = tokens(company, "later")["C1"]
    with pytest.raises(service.SurveyError, match="\\(draft\\)"):
        service.respond(company, late, 9, now=datetime(2025, 3, 5))
    service.set_status(company, "later", "open")
    with pytest.raises(service.SurveyError, match="\\(not_yet\\)"):
        service.respond(company, late, 9, now=datetime(2025, 2, 28, 23, 59))
    service.respond(company, late, 9, now=datetime(2025, 3, 31, 23, 59))            # the last day is included
    with pytest.raises(service.SurveyError, match="\\(closed\\)"):
        service.respond(company, late, 9, now=datetime(2025, 4, 1))


def test_unknown_token(company, survey):
    with pytest.raises(service.SurveyNotFound):
        service.respond(company, "not-a-token", 9)


def test_reminders_are_due_after_the_delay_and_recorded(company, survey):
    service.respond(company, survey["C1"], 10, now=T0 + timedelta(hours=1))
    # Links were added at T0: at T0 + 2 days nobody is due; at T0 + 3 days the four non-responders are.
    assert service.due_reminders(company, "q1", 3, now=T0 + timedelta(days=2)) == []
    due = service.remind(company, "q1", 3, now=T0 + timedelta(days=3), base_url="https://b.example")
    assert sorted(r["contact_id"] for r in due) == ["C2", "C3", "C4", "C5"]
    assert all(r["link"].startswith("https://b.example/s/") for r in due)
    # Recorded: count 1, last reminded at T0 + 3 days → not due again until T0 + 6 days.
    rows = {r["contact_id"]: r for r in service.recipients(company, "q1")}
    assert rows["C2"]["reminders"] == 1 and rows["C2"]["last_reminded_at"] == T0 + timedelta(days=3)
    assert rows["C1"]["reminders"] == 0
    assert service.due_reminders(company, "q1", 3, now=T0 + timedelta(days=5)) == []
    service.respond(company, survey["C4"], 7, now=T0 + timedelta(days=5))
    again = service.remind(company, "q1", 3, now=T0 + timedelta(days=6))
    assert sorted(r["contact_id"] for r in again) == ["C2", "C3", "C5"]
    assert {r["reminders"] for r in service.recipients(company, "q1") if r["contact_id"] in ("C2", "C3", "C5")} == {2}
    # A dry run lists without recording.
    service.remind(company, "q1", 0, now=T0 + timedelta(days=7), record=False)
    assert {r["reminders"] for r in service.recipients(company, "q1") if r["contact_id"] == "C2"} == {2}


def test_reminders_only_for_open_surveys(company, survey):
    service.set_status(company, "q1", "closed")
    with pytest.raises(service.SurveyError, match="reminders are for open surveys"):
        service.remind(company, "q1", 3)
    with pytest.raises(service.SurveyNotFound):
        service.remind(company, "nope", 3)


def test_reminder_clock_starts_when_the_survey_opens(company):
    service.create_survey(company, "later", survey_id="later", opens_on=date(2025, 3, 1), now=T0)
    service.add_recipients(company, "later", {"tier": "CA"}, now=T0)     # added a month before opening
    service.set_status(company, "later", "open")
    assert service.due_reminders(company, "later", 3, now=datetime(2025, 3, 2)) == []
    assert len(service.due_reminders(company, "later", 3, now=datetime(2025, 3, 4))) == 2
