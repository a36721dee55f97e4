"""The `renkei` command as a person runs it: in a fresh process, with its own data directory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

# The `renkei` script installed next to this Python, as a person would type it.
SCRIPT = Path(sys.executable).with_name("renkei")
RENKEI = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "renkei.cli"]


def run_renkei(args: list[str], data_dir: Path, timeout: float) -> subprocess.CompletedProcess[str]:
    data_dir.mkdir(parents=True, exist_ok=True)
    env = {key: value for key, value in os.environ.items() if not key.startswith(("RENKEI_", "DJANGO_"))}
    # Its own SQLite file, whatever database the suite itself runs on.
    env.update(RENKEI_DATA_DIR=str(data_dir), COLUMNS="160", PYTHONUNBUFFERED="1")
    return subprocess.run(  # noqa: S603 (our own command, fixed arguments)
        [*RENKEI, *args], env=env, capture_output=True, text=True, timeout=timeout, check=False, cwd=data_dir
    )


def test_help_lists_the_commands_with_the_common_ones_described(tmp_path):
    result = run_renkei(["--help"], tmp_path, timeout=60)

    assert result.returncode == 0, result.stderr
    described = {line.split()[1] for line in result.stdout.splitlines() if line.startswith("  renkei ")}
    assert {"demo", "serve", "migrate", "load_reference", "load_demo"} <= described
    listed = {line.strip() for line in result.stdout.splitlines() if line.startswith("    ")}
    assert {"demo", "serve", "migrate", "load_reference", "load_demo", "check"} <= listed


def test_serve_explains_its_options(tmp_path):
    result = run_renkei(["help", "serve"], tmp_path, timeout=60)

    assert result.returncode == 0, result.stderr
    for option in ("--host", "--port", "--dev"):
        assert option in result.stdout


def test_demo_refuses_a_scale_that_is_not_positive(tmp_path):
    result = run_renkei(["demo", "--no-serve", "--scale", "0"], tmp_path, timeout=60)

    assert result.returncode != 0
    assert "--scale must be a positive number" in result.stderr


@pytest.mark.slow
def test_demo_loads_everything_into_an_empty_data_directory_and_prints_the_logins(tmp_path):
    from renkei.core.management.commands.demo import get_demo_logins

    data_dir = tmp_path / "data"
    first = run_renkei(["demo", "--no-serve", "--scale", "0.01"], data_dir, timeout=600)
    assert first.returncode == 0, first.stdout + first.stderr
    assert (data_dir / "renkei.sqlite3").exists()
    for step in ("database tables", "reference data", "demo clusters", "matching index"):
        assert step in first.stdout
    # The matching index was built from the demo's seeds, needs and capabilities.
    assert (data_dir / "indexes" / "platform" / "manifest.json").exists()
    manifest = json.loads((data_dir / "indexes" / "platform" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["documents"] > 0
    assert "seeds, needs and capabilities indexed" in first.stdout
    usernames = [login["username"] for login in get_demo_logins()]
    assert usernames
    for username in usernames:
        assert username in first.stdout

    second = run_renkei(["demo", "--no-serve", "--scale", "0.01"], data_dir, timeout=300)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "already holds the demo" in second.stdout
    assert "matching index is current" in second.stdout
    assert usernames[0] in second.stdout
