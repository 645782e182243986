"""Plugin module for NPS surveys (see b2bgrowth.plugins): the reports and `b2bgrowth survey …`.
Pages live in b2bgrowth.voc.web_surveys (a web-only plugin)."""

from __future__ import annotations

import typer

from b2bgrowth.voc.surveys import reports  # noqa: F401  (registers surveys, survey, nps-breakdown, verbatims)


def register_cli(app: typer.Typer) -> None:
    from b2bgrowth.voc.surveys.cli import register

    register(app)
