"""Reports `usage` and `account-users` (registry: CLI `b2bgrowth report …`, API, ws.report); the
command `b2bgrowth success usage-rollup` is in usage/cli.py.

Beside usage/, not in it: the usage report adds seats from signals.py, which is built on usage/;
from here both point one way (no cycle between the success sub-packages, pyproject.toml)."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from b2bgrowth.reporting.jsonable import jsonable
from b2bgrowth.reporting.registry import Report, ReportParams
from b2bgrowth.success.usage.results import AccountUsersResult, UsageResult


def _today() -> date:
    return date.today()


def _records(frame) -> list[dict]:
    """JSON-able rows: NaN → None, dates → ISO strings, numpy scalars → Python."""
    return jsonable(frame.to_dict(orient="records"))


class UsageParams(ReportParams):
    as_of: date | None = Field(default=None, alias="as-of", description="Date (YYYY-MM-DD) the figures are as of; default today.")
    account: str | None = Field(default=None, description="Only this account.")


class UsageReport(Report):
    name = "usage"
    title = "Product usage per account as of a date: DAU/WAU/MAU, trend, breadth, seats, support tickets"
    Params = UsageParams
    Result = UsageResult

    def execute(self, ws, params: UsageParams) -> dict:
        from b2bgrowth.success.signals import _seats
        from b2bgrowth.success.usage import usage_features

        as_of = params.as_of or _today()
        frame = usage_features(ws, as_of)
        if params.account is not None:
            frame = frame[frame["account_id"] == params.account]
        seats = _seats(ws, as_of)
        frame = frame.assign(seats=frame["account_id"].map(seats).astype("float64"))
        known = frame["seats"] > 0
        frame["seat_utilisation"] = (frame["mau"] / frame["seats"]).where(known)
        return {"as_of": as_of.isoformat(), "accounts": _records(frame)}


class AccountUsersParams(ReportParams):
    account: str = Field(description="Account id.")
    as_of: date | None = Field(default=None, alias="as-of", description="Date (YYYY-MM-DD); default today.")
    days: int = Field(default=30, ge=1, le=365, description="Activity window in days, ending on as-of.")


class AccountUsersReport(Report):
    name = "account-users"
    title = "Users inside one account: activity, segment (champion/regular/occasional/dormant), linked contacts"
    Params = AccountUsersParams
    Result = AccountUsersResult

    def execute(self, ws, params: AccountUsersParams) -> dict:
        from sqlalchemy import select

        from b2bgrowth.accounts.models import Account, Contact
        from b2bgrowth.success.usage import user_activity

        with ws.store.read() as session:
            if session.get(Account, params.account) is None:
                raise ValueError(f"account-users: no account {params.account!r}")
            makers = session.execute(select(Contact.contact_id).where(
                Contact.account_id == params.account, Contact.role == "decision_maker")).scalars().all()
        as_of = params.as_of or _today()
        users = user_activity(ws, params.account, as_of, days=params.days)
        engaged = set(users.loc[users["events"] > 0, "contact_id"].dropna())
        segments = users["segment"].value_counts().to_dict()
        return {
            "as_of": as_of.isoformat(), "account_id": params.account, "days": params.days,
            "segments": {s: int(segments.get(s, 0)) for s in ("champion", "regular", "occasional", "dormant")},
            "decision_makers": {"total": len(makers), "engaged": len(engaged & set(makers)),
                                "engaged_ids": sorted(engaged & set(makers))},
            "users": _records(users),
        }
