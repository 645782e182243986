"""JSON API for NPS surveys (Bearer token or session): /api/v1/surveys…

Reads: any signed-in role (recipients' links and contact details only for roles that may
write: a link answers for the customer). Writes: admin, ops, csm. Errors are 4xx with a
reason: 400 bad input or a forbidden change, 404 unknown survey, 422 malformed body.
"""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, ConfigDict, Field

from b2bgrowth.auth.security import mask_personal
from b2bgrowth.voc.surveys import service
from b2bgrowth.voc.surveys.analysis import all_summaries, survey_summary
from b2bgrowth.web.deps import CurrentUser, WorkspaceDep, require_roles

router = APIRouter(prefix="/api/v1/surveys", tags=["surveys"])
SURVEY_ROLES = ("admin", "ops", "csm")
Writer = Depends(require_roles(*SURVEY_ROLES))


class Filters(BaseModel):
    model_config = ConfigDict(extra="forbid")
    tier: list[str] = []
    role: list[str] = []
    stage: list[str] = []
    type: list[str] = []
    owner: list[str] = []


class NewSurvey(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(max_length=255)
    survey_id: str | None = Field(default=None, max_length=64)
    question_zh: str | None = Field(default=None, max_length=1000)
    question_en: str | None = Field(default=None, max_length=1000)
    follow_up_zh: str | None = Field(default=None, max_length=1000)
    follow_up_en: str | None = Field(default=None, max_length=1000)
    opens_on: date | None = None
    closes_on: date | None = None
    filters: Filters | None = None
    open: bool = False


class StatusChange(BaseModel):
    model_config = ConfigDict(extra="forbid")
    status: str = Field(max_length=16)


class ReminderRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    after_days: int = Field(default=3, ge=0, le=365)
    record: bool = True


def base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def run(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except service.SurveyNotFound as exc:
        raise HTTPException(404, str(exc)) from None
    except service.SurveyError as exc:
        raise HTTPException(400, str(exc)) from None


def public_recipient(row: dict, role: str) -> dict:
    """What a role may see of a recipient: viewers get neither the link nor unmasked contact fields."""
    row = mask_personal(row, role)
    if role not in SURVEY_ROLES:
        row.pop("token", None)
        row.pop("link", None)
    return row


@router.get("")
def list_surveys(ws: WorkspaceDep, user: CurrentUser):
    return {"surveys": all_summaries(ws)}


@router.post("", status_code=201)
def create(body: NewSurvey, ws: WorkspaceDep, user=Writer):
    fields = body.model_dump(exclude={"filters", "open"})
    survey = run(service.create_survey, ws, created_by=user.login, **fields)
    added = None
    if body.filters is not None:
        added = run(service.add_recipients, ws, survey["survey_id"], body.filters.model_dump())
    if body.open:
        survey = run(service.set_status, ws, survey["survey_id"], "open")
    return {"survey": survey, "recipients": added}


@router.get("/{survey_id}")
def detail(survey_id: str, ws: WorkspaceDep, user: CurrentUser):
    return {"survey": run(survey_summary, ws, survey_id)}


@router.get("/{survey_id}/recipients")
def recipients(survey_id: str, request: Request, ws: WorkspaceDep, user: CurrentUser):
    rows = run(service.recipients, ws, survey_id, base_url(request))
    return {"recipients": [public_recipient(r, user.role) for r in rows]}


@router.post("/{survey_id}/recipients")
def add_recipients(survey_id: str, body: Filters, ws: WorkspaceDep, user=Writer):
    return run(service.add_recipients, ws, survey_id, body.model_dump())


@router.post("/{survey_id}/status")
def change_status(survey_id: str, body: StatusChange, ws: WorkspaceDep, user=Writer):
    return {"survey": run(service.set_status, ws, survey_id, body.status)}


@router.post("/{survey_id}/remind")
def remind(survey_id: str, body: ReminderRequest, request: Request, ws: WorkspaceDep, user=Writer):
    rows = run(service.remind, ws, survey_id, body.after_days, base_url=base_url(request), record=body.record)
    return {"reminders": [public_recipient(r, user.role) for r in rows], "recorded": body.record}
