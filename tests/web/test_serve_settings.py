import pytest

from b2bgrowth.settings import Settings, SettingsError
from b2bgrowth.web.serve_cli import adopt_demo_mode


def test_a_demo_data_dir_is_served_in_demo_mode_again(tmp_path):
    (tmp_path / "demo.json").write_text("{}")
    settings = Settings(data_dir=tmp_path)
    assert adopt_demo_mode(settings)
    key = settings.require_secret_key()
    assert len(key) >= 32 and (tmp_path / "demo-secret-key").read_text() == key


def test_any_other_data_dir_still_needs_a_secret_key(tmp_path):
    settings = Settings(data_dir=tmp_path)
    assert not adopt_demo_mode(settings)
    with pytest.raises(SettingsError, match="no secret key"):
        settings.require_secret_key()


def test_a_given_key_wins_over_the_demo_marker(tmp_path):
    (tmp_path / "demo.json").write_text("{}")
    settings = Settings(data_dir=tmp_path, secret_key="a-real-secret-key-1234")
    assert not adopt_demo_mode(settings)
    assert settings.require_secret_key() == "a-real-secret-key-1234"
