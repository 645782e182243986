"""Running a registered report for a page: its result, or the reason it failed as a page error."""

from __future__ import annotations


def run_report(ws, name: str, errors: list[str], **params):
    """A registry report's result, or None with the reason added to `errors` (never a traceback).

    The same report, with the same parameters, as `GET /api/v1/reports/{name}` and
    `b2bgrowth report {name}`: a page shows its figures and computes none of its own.
    """
    try:
        return ws.report(name, **params)
    except (ValueError, LookupError) as exc:  # pydantic ValidationError is a ValueError
        errors.append(f"{name}: {exc}")
        return None
