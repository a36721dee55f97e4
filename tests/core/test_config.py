"""The RENKEI_* readers: a bad value stops start-up with a message naming the variable, and the
secret key is generated once into the data directory, private to its owner, then reused."""

from __future__ import annotations

import stat

import pytest
from django.core.exceptions import ImproperlyConfigured

from renkei.config import data_dir, env_bool, env_int, env_list, env_secret, secret_key


@pytest.mark.parametrize("raw", ["maybe", "2", "tru", "enabled"])
def test_env_bool_rejects_a_bad_value_naming_the_variable(monkeypatch, raw):
    monkeypatch.setenv("RENKEI_TEST_FLAG", raw)
    with pytest.raises(ImproperlyConfigured, match="RENKEI_TEST_FLAG") as excinfo:
        env_bool("RENKEI_TEST_FLAG")
    assert repr(raw) in str(excinfo.value)


@pytest.mark.parametrize(("raw", "expected"), [("1", True), (" Yes ", True), ("on", True), ("0", False), ("", False)])
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("RENKEI_TEST_FLAG", raw)
    assert env_bool("RENKEI_TEST_FLAG", default=not expected) is expected


def test_env_bool_falls_back_to_the_default_when_unset(monkeypatch):
    monkeypatch.delenv("RENKEI_TEST_FLAG", raising=False)
    assert env_bool("RENKEI_TEST_FLAG", True) is True


@pytest.mark.parametrize("raw", ["ten", "1.5", "12abc"])
def test_env_int_rejects_a_bad_value_naming_the_variable(monkeypatch, raw):
    monkeypatch.setenv("RENKEI_TEST_NUMBER", raw)
    with pytest.raises(ImproperlyConfigured, match="RENKEI_TEST_NUMBER") as excinfo:
        env_int("RENKEI_TEST_NUMBER", 3)
    assert repr(raw) in str(excinfo.value)


def test_env_int_reads_a_number_and_defaults_when_empty(monkeypatch):
    monkeypatch.setenv("RENKEI_TEST_NUMBER", " 42 ")
    assert env_int("RENKEI_TEST_NUMBER", 3) == 42
    monkeypatch.setenv("RENKEI_TEST_NUMBER", "")
    assert env_int("RENKEI_TEST_NUMBER", 3) == 3


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("RENKEI_TEST_HOSTS", "renkei.example.jp, ,localhost,")
    assert env_list("RENKEI_TEST_HOSTS", []) == ["renkei.example.jp", "localhost"]


def test_env_secret_reads_the_file_named_by_the_file_variable(monkeypatch, tmp_path):
    secret_file = tmp_path / "key"
    secret_file.write_text("from-a-file\n", encoding="utf-8")
    monkeypatch.delenv("RENKEI_TEST_SECRET", raising=False)
    monkeypatch.setenv("RENKEI_TEST_SECRET_FILE", str(secret_file))
    assert env_secret("RENKEI_TEST_SECRET") == "from-a-file"


def test_env_secret_names_the_variable_when_its_file_is_missing(monkeypatch, tmp_path):
    monkeypatch.delenv("RENKEI_TEST_SECRET", raising=False)
    monkeypatch.setenv("RENKEI_TEST_SECRET_FILE", str(tmp_path / "absent"))
    with pytest.raises(ImproperlyConfigured, match="RENKEI_TEST_SECRET_FILE"):
        env_secret("RENKEI_TEST_SECRET")


def test_the_secret_key_is_generated_once_with_owner_only_permissions_and_reused(monkeypatch, tmp_path):
    monkeypatch.delenv("RENKEI_SECRET_KEY", raising=False)
    monkeypatch.delenv("RENKEI_SECRET_KEY_FILE", raising=False)

    first = secret_key(tmp_path)

    key_file = tmp_path / "secret_key"
    assert key_file.read_text(encoding="utf-8").strip() == first
    assert len(first) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert secret_key(tmp_path) == first


def test_each_data_directory_gets_its_own_secret_key(monkeypatch, tmp_path):
    monkeypatch.delenv("RENKEI_SECRET_KEY", raising=False)
    monkeypatch.delenv("RENKEI_SECRET_KEY_FILE", raising=False)
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    assert secret_key(tmp_path / "one") != secret_key(tmp_path / "two")


def test_a_configured_secret_key_wins_and_nothing_is_written(monkeypatch, tmp_path):
    monkeypatch.setenv("RENKEI_SECRET_KEY", "configured-by-the-operator")
    assert secret_key(tmp_path) == "configured-by-the-operator"
    assert not (tmp_path / "secret_key").exists()


def test_the_data_directory_is_created_from_the_variable(monkeypatch, tmp_path):
    monkeypatch.setenv("RENKEI_DATA_DIR", str(tmp_path / "nested" / "data"))
    assert data_dir() == (tmp_path / "nested" / "data").resolve()
    assert data_dir().is_dir()
