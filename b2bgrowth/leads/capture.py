"""Capture: leads and touches by API (and the app), and public web forms (issue 3 item 1).

Imports go through the interchange module (entities "leads" and "touches"); everything else
comes in here. A public form is protected three ways:
- a honeypot field (`website`, hidden from people): filled in → answered 200 as if stored,
  but no lead is kept (bots learn nothing);
- a per-IP rate limit (FORM_RATE_LIMIT submissions per FORM_RATE_WINDOW, counted from the
  form_submissions table so it holds across server processes) → 429 with the reason;
- a consent checkbox (`consent`) that must be ticked → 422 otherwise.
"""

from __future__ import annotations

import html
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from sqlalchemy import func, select

from b2bgrowth.leads.models import LEAD_STATUSES, TOUCH_KINDS, FormSubmission, Lead, LeadTransition, Touch, WebForm

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

HONEYPOT_FIELD = "website"
CONSENT_FIELD = "consent"
FORM_RATE_LIMIT = 10
FORM_RATE_WINDOW = timedelta(minutes=1)
_TRUE = {"1", "true", "yes", "on", "y", "checked"}
# Fields a public form may carry (anything else goes to attributes, up to a small limit).
FORM_FIELDS = ("name", "company", "email", "phone", "title", "industry", "region", "need", "employees")


class CaptureError(ValueError):
    """A request capture refuses; `status` is the HTTP answer the API gives."""

    def __init__(self, message: str, status: int = 422):
        super().__init__(message)
        self.status = status


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def new_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


class LeadCreate(BaseModel):
    """A new lead. It needs something to reach the person by: an email, a phone, or a name and company."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    lead_id: str | None = Field(None, max_length=64)
    created_at: datetime | None = None
    name: str | None = Field(None, max_length=255)
    company: str | None = Field(None, max_length=255)
    email: str | None = Field(None, max_length=255)
    phone: str | None = Field(None, max_length=64)
    title: str | None = Field(None, max_length=255)
    channel: str | None = Field(None, max_length=64)
    campaign_id: str | None = Field(None, max_length=64)
    industry: str | None = Field(None, max_length=128)
    employees: int | None = Field(None, ge=0)
    region: str | None = Field(None, max_length=128)
    budget: str | None = Field(None, max_length=64)
    authority: str | None = Field(None, max_length=64)
    need: str | None = Field(None, max_length=4000)
    timeline: str | None = Field(None, max_length=64)
    status: Literal[LEAD_STATUSES] = "new"  # type: ignore[valid-type]
    owner: str | None = Field(None, max_length=128)
    # The account this lead belongs to (an existing company: upsell, another department); must exist.
    account_id: str | None = Field(None, max_length=64)
    attributes: dict[str, Any] | None = None

    @field_validator("email")
    @classmethod
    def _email_shape(cls, value: str | None) -> str | None:
        if value and ("@" not in value or value.startswith("@") or value.endswith("@")):
            raise ValueError(f"{value!r} is not an email address")
        return value or None

    @model_validator(mode="after")
    def _reachable(self):
        if not (self.email or self.phone or (self.name and self.company)):
            raise ValueError("a lead needs an email, a phone, or a name and a company")
        return self


class TouchCreate(BaseModel):
    """A touch on a lead, a contact or an account (at least one of them)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    touch_id: str | None = Field(None, max_length=64)
    at: datetime | None = None
    kind: Literal[TOUCH_KINDS]  # type: ignore[valid-type]
    lead_id: str | None = Field(None, max_length=64)
    contact_id: str | None = Field(None, max_length=64)
    account_id: str | None = Field(None, max_length=64)
    campaign_id: str | None = Field(None, max_length=64)
    outcome: str | None = Field(None, max_length=255)
    owner: str | None = Field(None, max_length=128)
    attributes: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _on_something(self):
        if not (self.lead_id or self.contact_id or self.account_id):
            raise ValueError("a touch needs a lead_id, a contact_id or an account_id")
        return self


def lead_dict(lead: Lead) -> dict:
    return {c.name: getattr(lead, c.name) for c in Lead.__table__.columns}


def create_lead(ws: Workspace, data: LeadCreate, source: str, by: str | None = None,
                now: datetime | None = None) -> dict:
    """Store a new lead (source: "api", "ui", "form:<id>" …) and its first lifecycle entry."""
    from b2bgrowth.accounts.models import Account

    now = now or _now()
    values = data.model_dump()
    values["lead_id"] = values["lead_id"] or new_id("L")
    values["created_at"] = values["created_at"] or now
    values["attributes"] = {**(values["attributes"] or {}), "source": source}
    if values["owner"]:
        values["assigned_at"] = now
    with ws.store.write(touched=["leads", "lead_transitions"]) as session:
        if session.get(Lead, values["lead_id"]) is not None:
            raise CaptureError(f"lead_id {values['lead_id']!r} already exists", status=409)
        if values["account_id"] and session.get(Account, values["account_id"]) is None:
            raise CaptureError(f"account_id: account {values['account_id']!r} does not exist", status=422)
        lead = Lead(**values)
        session.add(lead)
        session.add(LeadTransition(lead_id=lead.lead_id, from_status=None, to_status=lead.status,
                                   at=values["created_at"], by=by, reason=f"created via {source}"))
    return lead_dict(lead)


def log_touch(ws: Workspace, data: TouchCreate, now: datetime | None = None) -> dict:
    """Store a touch; the lead, contact or account it names must exist."""
    from b2bgrowth.accounts.models import Account, Contact

    values = data.model_dump()
    values["touch_id"] = values["touch_id"] or new_id("T")
    values["at"] = values["at"] or now or _now()
    with ws.store.write(touched=["touches"]) as session:
        for field, model in (("lead_id", Lead), ("contact_id", Contact), ("account_id", Account)):
            if values[field] and session.get(model, values[field]) is None:
                raise CaptureError(f"{field}: {values[field]!r} does not exist", status=422)
        if session.get(Touch, values["touch_id"]) is not None:
            raise CaptureError(f"touch_id {values['touch_id']!r} already exists", status=409)
        touch = Touch(**values)
        session.add(touch)
    return {c.name: getattr(touch, c.name) for c in Touch.__table__.columns}


# -- public forms -----------------------------------------------------------------------------------
class FormCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    form_id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    name: str = Field(min_length=1, max_length=255)
    channel: str | None = Field(None, max_length=64)
    campaign_id: str | None = Field(None, max_length=64)
    consent_text: str | None = Field(None, max_length=4000)


def create_form(ws: Workspace, data: FormCreate, now: datetime | None = None) -> dict:
    with ws.store.write(touched=["web_forms"]) as session:
        if session.get(WebForm, data.form_id) is not None:
            raise CaptureError(f"form_id {data.form_id!r} already exists", status=409)
        form = WebForm(**data.model_dump(), active=True, created_at=now or _now())
        session.add(form)
    return form_dict(form)


def form_dict(form: WebForm) -> dict:
    return {c.name: getattr(form, c.name) for c in WebForm.__table__.columns}


def get_form(ws: Workspace, form_id: str) -> WebForm:
    with ws.store.read() as session:
        form = session.get(WebForm, form_id)
    if form is None or not form.active:
        raise CaptureError(f"form {form_id!r} does not exist", status=404)
    return form


@dataclass(frozen=True)
class Submission:
    outcome: str  # "stored" | "spam"
    lead_id: str | None


def submit_form(ws: Workspace, form_id: str, fields: dict[str, Any], ip: str | None,
                now: datetime | None = None) -> Submission:
    """A public submission: honeypot, rate limit and consent checked in that order."""
    now = now or _now()
    form = get_form(ws, form_id)
    with ws.store.read() as session:
        recent = session.execute(
            select(func.count()).select_from(FormSubmission)
            .where(FormSubmission.ip == ip, FormSubmission.at > now - FORM_RATE_WINDOW)
        ).scalar_one()
    if recent >= FORM_RATE_LIMIT:
        raise CaptureError(f"too many submissions from this address: at most {FORM_RATE_LIMIT} per minute; "
                           "try again in a minute", status=429)
    if str(fields.get(HONEYPOT_FIELD) or "").strip():
        _record(ws, form_id, ip, now, "spam", None)
        return Submission("spam", None)
    if str(fields.get(CONSENT_FIELD) or "").strip().lower() not in _TRUE:
        raise CaptureError(f"{CONSENT_FIELD}: the consent checkbox must be ticked", status=422)
    known = {k: (str(v).strip() or None) for k, v in fields.items() if k in FORM_FIELDS and v is not None}
    extra = {k: str(v)[:1000] for k, v in fields.items()
             if k not in FORM_FIELDS and k not in (HONEYPOT_FIELD, CONSENT_FIELD)}
    if len(extra) > 20:
        raise CaptureError("a form may carry at most 20 extra fields", status=422)
    from pydantic import ValidationError

    try:
        data = LeadCreate(**known, channel=form.channel, campaign_id=form.campaign_id,
                          attributes={**extra, "consent": form.consent_text or True, "consent_at": now.isoformat()})
    except ValidationError as exc:
        raise CaptureError("; ".join(f"{'.'.join(map(str, e['loc'])) or 'form'}: {e['msg']}" for e in exc.errors()),
                           status=422) from None
    lead = create_lead(ws, data, source=f"form:{form_id}", now=now)
    _record(ws, form_id, ip, now, "stored", lead["lead_id"])
    return Submission("stored", lead["lead_id"])


def _record(ws: Workspace, form_id: str, ip: str | None, at: datetime, outcome: str, lead_id: str | None) -> None:
    with ws.store.write(touched=["form_submissions"]) as session:
        session.add(FormSubmission(form_id=form_id, at=at, ip=(ip or "")[:64] or None, outcome=outcome, lead_id=lead_id))


def embed_html(form: WebForm, action_url: str) -> str:
    """An HTML snippet a website pastes in: posts straight to the public form endpoint."""
    e = html.escape
    consent = e(form.consent_text or "I agree to be contacted about this request.")
    inputs = "\n".join(
        f'  <label>{e(label)}<br><input name="{name}" type="{kind}"{" required" if req else ""}></label><br>'
        for name, label, kind, req in (
            ("name", "Name / 姓名", "text", True), ("company", "Company / 公司", "text", False),
            ("email", "Email / 邮箱", "email", False), ("phone", "Phone / 手机", "tel", False),
            ("title", "Title / 职位", "text", False)))
    return (
        f'<form class="b2bgrowth-form" method="post" action="{e(action_url)}">\n{inputs}\n'
        f'  <label>Message / 需求<br><textarea name="need"></textarea></label><br>\n'
        # The honeypot: hidden from people (off-screen, not display:none which some bots skip).
        f'  <div style="position:absolute;left:-10000px" aria-hidden="true">'
        f'<input name="{HONEYPOT_FIELD}" tabindex="-1" autocomplete="off"></div>\n'
        f'  <label><input type="checkbox" name="{CONSENT_FIELD}" value="yes" required> {consent}</label><br>\n'
        f'  <button type="submit">Submit / 提交</button>\n</form>\n'
    )


def embed_js(snippet: str) -> str:
    """A script tag's body that writes the snippet where the script stands."""
    import json

    return ("(function(){var s=document.currentScript;var d=document.createElement('div');"
            f"d.innerHTML={json.dumps(snippet)};s.parentNode.insertBefore(d,s);}})();\n")
