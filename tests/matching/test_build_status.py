"""A rebuild reports its progress in a status file that every web process can read, so the
seeds & needs pages say how far a build has got instead of showing an empty result."""

from __future__ import annotations

import json
import subprocess
import sys

from django.urls import reverse

from renkei.matching import indexing
from tests.matching.listings import *  # noqa: F403


def test_a_rebuild_reports_its_stages_while_it_runs_and_clears_the_status_at_the_end(cast, listings, index_env):
    seen = []

    def watch(stage, advance, total):
        seen.append(indexing.build_status())

    indexing.rebuild(progress=watch)

    reported = [status for status in seen if status is not None]
    assert len(reported) == len(seen) > 0
    assert [status["stage"] for status in reported][0] == "analyse" and reported[-1]["stage"] == "embed"
    assert all(status["total"] for status in reported)
    assert indexing.build_status() is None
    assert not indexing.build_status_path().exists()


def test_the_status_of_a_build_whose_process_is_gone_is_ignored(index_env):
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(finished.stdout)
    indexing.build_status_path().parent.mkdir(parents=True, exist_ok=True)
    indexing.build_status_path().write_text(json.dumps({"pid": dead_pid, "stage": "embed", "done": 1, "total": 9}))

    assert indexing.build_status() is None


def test_a_garbled_status_file_is_ignored(index_env):
    indexing.build_status_path().parent.mkdir(parents=True, exist_ok=True)
    indexing.build_status_path().write_text("{not json")

    assert indexing.build_status() is None


def test_the_search_page_shows_a_running_build_and_reloads_itself(cast, client_for, index_env):
    import os

    indexing.build_status_path().parent.mkdir(parents=True, exist_ok=True)
    status = {"pid": os.getpid(), "started": 0, "stage": "embed", "done": 40, "total": 160}
    indexing.build_status_path().write_text(json.dumps(status))

    html = client_for(cast.participant).get(reverse("matching:search"), {"q": "燃料電池"}).content.decode()

    assert 'id="index-status"' in html
    assert '<progress max="160" value="40">' in html
    assert "location.reload" in html


def test_without_a_build_or_an_index_the_page_says_how_to_build_one(cast, client_for, index_env):
    html = client_for(cast.participant).get(reverse("matching:search"), {"q": "燃料電池"}).content.decode()

    assert 'id="index-status"' not in html
    assert "renkei reindex" in html
