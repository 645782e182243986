"""The docs must not drift from the code."""

from pathlib import Path

from b2bgrowth.cli import docs

ROOT = Path(__file__).resolve().parents[1]


def test_cli_reference_matches_the_commands():
    current = docs.render()
    written = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert written == current, "docs/cli.md is stale: run `make docs`"


def test_readme_names_every_top_level_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    top = {c.split()[1] for c in docs.documented_commands() if len(c.split()) == 2}
    missing = sorted(c for c in top if f"b2bgrowth {c}" not in readme)
    assert not missing, f"README does not mention: {missing}"


def test_settings_reference_matches_the_settings():
    written = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    assert written == docs.render_settings(), "docs/settings.md is stale: run `make docs`"


def test_every_environment_variable_the_package_reads_is_documented():
    import re

    from b2bgrowth.settings import Settings

    known = {f"B2BGROWTH_{name.upper()}" for name in Settings.model_fields} | set(docs.OTHER_VARIABLES)
    used = set()
    for path in (ROOT / "b2bgrowth").rglob("*.py"):
        used |= set(re.findall(r"B2BGROWTH_[A-Z_]+[A-Z]", path.read_text(encoding="utf-8")))
    assert not sorted(used - known), f"undocumented environment variables: {sorted(used - known)}"
