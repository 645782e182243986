"""Churn-risk reasons in the reader's language.

The risk model and the fallback rule phrase their reasons in English (the API's `reasons` stay
English so machines can match them). Pages show them translated: each English form below is
matched, its numbers kept, and the msgid looked up in the current language's catalog. A
reason no pattern knows is shown as it is.
"""

from __future__ import annotations

import re

from b2bgrowth.i18n import gettext
from b2bgrowth.i18n.labels import N_

# (pattern over the English reason, msgid with %(…)s placeholders named like the groups)
PATTERNS: list[tuple[re.Pattern, str]] = [(re.compile(p), m) for p, m in [
    (r"^usage down (?P<pct>-?\d+)% in 30 days$", N_("usage down %(pct)s%% in 30 days")),
    (r"^usage up (?P<pct>\d+)% in 30 days$", N_("usage up %(pct)s%% in 30 days")),
    (r"^no usage in the previous 30 days to compare$", N_("no usage in the previous 30 days to compare")),
    (r"^(?P<n>\d+) events in 30 days \(previous 30: (?P<m>\d+)\)$", N_("%(n)s events in 30 days (previous 30: %(m)s)")),
    (r"^seat utilisation (?P<pct>\d+)%$", N_("seat utilisation %(pct)s%%")),
    (r"^seats unknown$", N_("seats unknown")),
    (r"^no recorded usage$", N_("no recorded usage")),
    (r"^no activity for (?P<n>\d+) days$", N_("no activity for %(n)s days")),
    (r"^(?P<n>\d+) detractor NPS response\(s\) in 90 days$", N_("%(n)s detractor NPS response(s) in 90 days")),
    (r"^last NPS (?P<n>-?\d+) \(detractor\)$", N_("last NPS %(n)s (detractor)")),
    (r"^last NPS (?P<n>-?\d+)$", N_("last NPS %(n)s")),
    (r"^no NPS response$", N_("no NPS response")),
    (r"^(?P<n>\d+) support tickets in 30 days \((?P<m>\d+) in 90\)$",
     N_("%(n)s support tickets in 30 days (%(m)s in 90)")),
    (r"^(?P<n>\d+) support tickets in 30 days$", N_("%(n)s support tickets in 30 days")),
    (r"^active users (?P<a>\d+) \(previous 30 days: (?P<b>\d+)\)$", N_("active users %(a)s (previous 30 days: %(b)s)")),
    (r"^(?P<n>\d+) features used in 30 days$", N_("%(n)s features used in 30 days")),
    (r"^ARR (?P<x>[\d,]+)$", N_("ARR %(x)s")),
    (r"^paying for (?P<n>\d+) days$", N_("paying for %(n)s days")),
    (r"^usage and NPS signals$", N_("usage and NPS signals")),
    (r"^tier (?P<t>\S+)$", N_("tier %(t)s")),
]]


def localise_reason(reason: str) -> str:
    for pattern, msgid in PATTERNS:
        match = pattern.match(reason or "")
        if match:
            return gettext(msgid, **match.groupdict())
    return reason
