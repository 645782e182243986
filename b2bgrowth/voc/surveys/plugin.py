"""Plugin module for NPS surveys (see b2bgrowth.plugins): the reports and `b2bgrowth survey …`.
Pages live in b2bgrowth.voc.web_surveys (a web-only plugin)."""

from __future__ import annotations

import typer


def register_cli(app: typer.Typer) -> None:
    from b2bgrowth.voc.surveys.cli import register

    register(app)
