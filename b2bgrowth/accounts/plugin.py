"""Plugin module for accounts (see b2bgrowth.plugins): the accounts pages."""

from __future__ import annotations


def register_web(web) -> None:
    from b2bgrowth.accounts.web import router

    web.add_router(router)
    web.add_nav("/accounts", "Accounts", order=20)
