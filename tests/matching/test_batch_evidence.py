"""match-batch reads a document's evidence (``evidence`` or bench-dev's ``n_projects``) for the fusion."""

from __future__ import annotations

import json

import pytest

from renkei.matching.engine.batch import BatchInputError, read_documents


def write(tmp_path, rows):
    path = tmp_path / "docs.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_evidence_and_n_projects_become_the_documents_evidence(tmp_path):
    path = write(
        tmp_path,
        [
            {"id": "a", "lang": "en", "title": "A", "text": "x", "evidence": 3},
            {"id": "b", "lang": "en", "title": "B", "text": "y", "n_projects": 12},
            {"id": "c", "lang": "en", "title": "C", "text": "z", "n_projects": None},
        ],
    )
    docs = read_documents(path)
    assert [d.fields for d in docs] == [{"evidence": 3.0}, {"evidence": 12.0}, {}]


@pytest.mark.parametrize("value", ["3", -1, True, [2]])
def test_a_bad_evidence_value_is_refused_with_its_line(tmp_path, value):
    path = write(
        tmp_path,
        [
            {"id": "a", "lang": "en", "title": "A", "text": "x"},
            {"id": "b", "lang": "en", "title": "B", "text": "y", "n_projects": value},
        ],
    )
    with pytest.raises(BatchInputError, match=r"line 2: 'n_projects' must be a number of at least 0"):
        read_documents(path)
