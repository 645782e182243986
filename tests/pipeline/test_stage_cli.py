"""Stages are configurable from the command line."""

import json

import pytest
from typer.testing import CliRunner

from b2bgrowth.cli.main import build_app
from b2bgrowth.workspace import Workspace


@pytest.fixture(autouse=True)
def store(settings):
    # A store to configure (commands other than import / user add refuse a missing one).
    Workspace(settings).close()


def run(settings, *args):
    argv = ["--data-dir", str(settings.data_dir)]
    if settings.database_url:
        argv += ["--database-url", settings.database_url]
    return CliRunner().invoke(build_app(), [*argv, *args])


def stages(settings):
    result = run(settings, "pipeline", "stages", "--json")
    assert result.exit_code == 0, result.output
    return {s["name"]: s for s in json.loads(result.stdout)["stages"]}


def test_add_change_and_remove_a_stage(settings):
    assert stages(settings)["商务谈判"]["probability"] == 0.6  # the default list
    assert run(settings, "pipeline", "stage", "商务谈判", "--probability", "0.5").exit_code == 0
    assert run(settings, "pipeline", "stage", "POC", "--probability", "0.4", "--order", "25").exit_code == 0
    found = stages(settings)
    assert found["商务谈判"]["probability"] == 0.5
    assert found["POC"] == {"name": "POC", "order": 25, "probability": 0.4, "is_closed": False}
    assert list(found).index("POC") == list(found).index("方案演示") + 1  # slotted between 20 and 30
    assert run(settings, "pipeline", "stage", "POC", "--remove").exit_code == 0
    assert "POC" not in stages(settings)


def test_bad_stage_settings_are_refused_with_a_reason(settings):
    result = run(settings, "pipeline", "stage", "商务谈判", "--probability", "1.5")
    assert result.exit_code == 1 and "not between 0 and 1" in result.output
    result = run(settings, "pipeline", "stage", "Brand new")
    assert result.exit_code == 1 and "needs --probability" in result.output
