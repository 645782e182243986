"""Lead score reasons and lifecycle errors in the reader's language.

Scoring phrases its reasons in English (the API's `reasons` stay English so machines can match
them): fit rules by their label, engagement as "<kind> touches (decayed)", the learned model as
"<feature> = <value>". Pages show them translated through the `lead_reason` filter: the
built-in rule labels and feature names are catalog msgids; a label an admin wrote in the scoring
file, or any text no pattern knows, is shown as it is. Same design as the churn-risk reasons
(b2bgrowth/success/reason_text.py).
"""

from __future__ import annotations

import re

from b2bgrowth.i18n import gettext
from b2bgrowth.i18n.labels import N_

# The labels of scoring_config.DEFAULT_FIT_RULES (a test checks every one is here).
RULE_LABELS = {label: label for label in (
    N_("500+ employees"), N_("50-499 employees"), N_("under 50 employees"), N_("decision-maker title"),
    N_("manager title"), N_("budget confirmed"), N_("has authority"), N_("high need"), N_("stated need"),
    N_("low need"), N_("buying within 3 months"), N_("buying in 3-6 months"), N_("buying after 6 months"),
)}

# The learned model's features (prediction.CATEGORICAL + NUMERIC; a test checks every one is here).
FEATURE_LABELS = {
    "industry": N_("industry"), "region": N_("region"), "channel": N_("channel"), "title_level": N_("title level"),
    "budget_kind": N_("budget"), "authority_flag": N_("authority"), "need_level": N_("need"),
    "timeline_bucket": N_("timeline"), "log_employees": N_("employees (log)"),
    "log_budget_amount": N_("budget amount (log)"), "touches_30d": N_("touches in 30 days"),
    "touches_call": N_("calls"), "touches_email": N_("e-mails"), "touches_meeting": N_("meetings"),
    "touches_event": N_("events"), "touches_download": N_("downloads"), "touches_webinar": N_("webinars"),
    "touches_demo": N_("demos"), "touches_visit": N_("visits"),
}

_ENGAGEMENT = re.compile(r"^(?P<kind>\w+) touches \(decayed\)$")
# The model's "why no prediction" reasons (prediction.py TooLittleHistory).
_MODEL_MESSAGES: list[tuple[re.Pattern, str]] = [(re.compile(p), m) for p, m in [
    (r"^too little history to learn conversion: (?P<n>\d+) closed leads \((?P<won>\d+) converted, (?P<lost>\d+) "
     r"not\); need at least (?P<need>\d+) closed leads with (?P<each>\d+) of each outcome$",
     N_("too little history to learn conversion: %(n)s closed leads (%(won)s converted, %(lost)s not); "
        "need at least %(need)s closed leads with %(each)s of each outcome")),
    (r"^too little history: the (?P<part>\w+) part \((?P<n>\d+) leads, ordered by creation\) holds only one "
     r"outcome; need both converted and not converted$",
     N_("too little history: the %(part)s part (%(n)s leads, ordered by creation) holds only one outcome; "
        "need both converted and not converted")),
]]
_PREDICTION = re.compile(r"^(?P<name>\w+) = (?P<value>.*)$")


def localise_lead_reason(text: str | None) -> str:
    text = text or ""
    if text in RULE_LABELS:
        return gettext(text)
    match = _ENGAGEMENT.match(text)
    if match:  # touch kinds are catalog msgids already (leads/web.py)
        kind = match.group("kind")
        return gettext(N_("%(kind)s touches (decayed)"), kind=gettext(kind))
    for pattern, msgid in _MODEL_MESSAGES:
        match = pattern.match(text)
        if match:
            return gettext(msgid, **match.groupdict())
    match = _PREDICTION.match(text)
    if match and match["name"] in FEATURE_LABELS:
        return f"{gettext(FEATURE_LABELS[match['name']])} = {match['value']}"
    return text


# Lifecycle errors (leads/handoff.py), worded in English for the API; statuses are catalog
# msgids (leads/web.py), so they are translated inside the sentence too.
_ERRORS: list[tuple[re.Pattern, str]] = [(re.compile(p), m) for p, m in [
    (r"^lead '(?P<lead>[^']*)' does not exist$", N_("lead %(lead)s does not exist")),
    (r"^a reason is required to move a lead to (?P<to>\w+)$", N_("a reason is required to move a lead to %(to)s")),
    (r"^a reason is required to reject a lead$", N_("a reason is required to reject a lead")),
    (r"^lead (?P<lead>\S+) is (?P<status>\w+), not (?P<expected>[\w ]+)$",
     N_("lead %(lead)s is %(status)s, not %(expected)s")),
    (r"^lead (?P<lead>\S+) is (?P<status>\w+); it may move to (?P<allowed>[\w, ]+), not (?P<to>\w+)$",
     N_("lead %(lead)s is %(status)s; it may move to %(allowed)s, not %(to)s")),
]]
_STATUS_FIELDS = ("to", "status", "expected", "allowed")
_LIST_WORDS = (N_("or"), N_("nothing"))  # the other words of those lists


def _statuses(text: str) -> str:
    """Each word of a list like "mql, sql", "mql or sql" or "nothing" translated, commas kept."""
    return re.sub(r"[a-z_]+", lambda m: gettext(m.group(0)), text)


def localise_lead_error(text: str | None) -> str:
    text = text or ""
    for pattern, msgid in _ERRORS:
        match = pattern.match(text)
        if match:
            values = {k: _statuses(v) if k in _STATUS_FIELDS else v for k, v in match.groupdict().items()}
            return gettext(msgid, **values)
    return text
