"""The anonymous response page /s/<token>: no sign-in, the token is the credential.

- GET shows the question in the recipient's language: ?lang= (the switch) wins, then the
  recipient's preferred language, then the browser's (cookie / Accept-Language). A previous
  answer is pre-filled; viewing never writes.
- POST records the answer (service.respond: one answer per token, a resubmission while open
  overwrites it). The form carries the session CSRF token the app checks on every unsafe
  request: rendering the page creates an anonymous session holding it, so a cross-site page
  cannot post for the recipient.
- A wrong token is 404; a draft, not-yet-open or closed survey shows a friendly message.
- At most POSTS_PER_MINUTE submissions per token per minute (429 with Retry-After): a cheap
  guard against a script hammering one link; the page is small and self-contained (inline
  CSS, no scripts, no external assets), so it works on a phone and offline proxies alike.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from datetime import date
from typing import TYPE_CHECKING

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from b2bgrowth import i18n
from b2bgrowth.voc.surveys.service import (
    SurveyError,
    SurveyNotFound,
    closed_reason,
    parse_score,
    recipient_by_token,
    respond,
)
from b2bgrowth.web.templating import render

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

router = APIRouter(include_in_schema=False)
POSTS_PER_MINUTE = 10
_recent: dict[str, deque] = defaultdict(deque)
_recent_lock = threading.Lock()


def _throttled(token: str) -> bool:
    now = time.monotonic()
    with _recent_lock:
        stamps = _recent[token]
        while stamps and now - stamps[0] > 60:
            stamps.popleft()
        if len(stamps) >= POSTS_PER_MINUTE:
            return True
        stamps.append(now)
        if len(_recent) > 10_000:  # forget idle tokens so the dict cannot grow without bound
            for key in [k for k, v in _recent.items() if not v][:5_000]:
                _recent.pop(key, None)
        return False


def _load(ws: Workspace, token: str):
    from b2bgrowth.voc.models import NpsResponse

    with ws.store.read() as session:
        recipient, survey = recipient_by_token(session, token)
        answer = session.get(NpsResponse, recipient.response_id) if recipient.response_id else None
        session.expunge_all()
    return recipient, survey, answer


def _language(request: Request, recipient) -> str:
    return (i18n.normalise(request.query_params.get("lang")) or recipient.language
            or request_lang_from_browser(request))


def request_lang_from_browser(request: Request) -> str:
    return getattr(request.state, "lang", None) or i18n.negotiate(
        request.cookies.get(i18n.LANG_COOKIE), request.headers.get("accept-language"))


def _page(request: Request, token: str, status_code: int = 200, lang: str | None = None, **context) -> HTMLResponse:
    ws = request.app.state.ws
    try:
        recipient, survey, answer = _load(ws, token)
    except SurveyNotFound:
        request.state.lang = lang or request_lang_from_browser(request)
        return render(request, "voc/survey_public.html", status_code=404, state="unknown", token=token, survey=None)
    request.state.lang = lang or _language(request, recipient)
    zh = request.state.lang == "zh_CN"
    reason = closed_reason(survey, date.today())
    context.setdefault("score", answer.score if answer else None)
    context.setdefault("comment", answer.comment if answer else "")
    return render(
        request, "voc/survey_public.html", status_code=status_code, token=token, survey=survey,
        state=context.pop("state", None) or (reason or "open"), answered=answer is not None,
        question=survey.question_zh if zh else survey.question_en,
        follow_up=(survey.follow_up_zh if zh else survey.follow_up_en) or "", **context)


@router.get("/s/{token}")
def survey_page(token: str, request: Request):
    return _page(request, token[:100])


@router.post("/s/{token}")
async def survey_answer(token: str, request: Request):
    token = token[:100]
    form = await request.form()
    lang = i18n.normalise(str(form.get("lang") or "")) or None
    if _throttled(token):
        response = _page(request, token, 429, lang, error_code="throttled")
        response.headers["Retry-After"] = "60"
        return response
    ws = request.app.state.ws
    raw_score, comment = form.get("score"), str(form.get("comment") or "")
    try:
        score = parse_score(raw_score) if raw_score not in (None, "") else None
    except SurveyError:
        score = None
    if score is None:
        return _page(request, token, 400, lang, comment=comment, error_code="score")
    try:
        with ws.store.read() as session:
            _, survey = recipient_by_token(session, token)
            session.expunge_all()
    except SurveyNotFound:
        return _page(request, token, 404, lang)
    if closed_reason(survey, date.today()):
        return _page(request, token, 409, lang)
    try:
        respond(ws, token, score, comment, language=lang or getattr(request.state, "lang", None))
    except SurveyError as exc:
        if "comment" in str(exc):
            return _page(request, token, 400, lang, score=score, comment=comment, error_code="comment")
        return _page(request, token, 409, lang)
    return _page(request, token, 200, lang, state="thanks")
