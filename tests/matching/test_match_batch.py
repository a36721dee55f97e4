"""`renkei match-batch` and `renkei match`: TREC output and clear errors on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from renkei.cli import main as renkei
from renkei.matching.engine.batch import MAX_TEXT_CHARS

from .conftest import load_crosslingual


def write_jsonl(path: Path, rows: list) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture
def files(tmp_path):
    rows = load_crosslingual()
    docs = [
        {"id": f"{r['topic']}-{r['lang']}", "lang": r["lang"], "title": r["title"], "text": r["text"], "extra": 1}
        for r in rows
        if r["kind"] == "seed"
    ]
    queries = [
        {"id": f"q-{r['topic']}-{r['lang']}", "lang": r["lang"], "text": r["text"]} for r in rows if r["kind"] == "need"
    ]
    return write_jsonl(tmp_path / "docs.jsonl", docs), write_jsonl(tmp_path / "queries.jsonl", queries), tmp_path


def run(docs, queries, out, *extra):
    call_command(
        "match_batch", "--docs", str(docs), "--queries", str(queries), "--out", str(out), "--no-progress", *extra
    )


def test_it_writes_a_trec_run(files):
    docs, queries, tmp = files
    run(docs, queries, tmp / "run.trec", "--top", "5", "--tag", "mine")
    lines = (tmp / "run.trec").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 24 * 5
    by_query: dict[str, list[list[str]]] = {}
    for line in lines:
        fields = line.split()
        assert len(fields) == 6 and fields[1] == "Q0" and fields[5] == "mine"
        float(fields[4])
        by_query.setdefault(fields[0], []).append(fields)
    for qid, rows in by_query.items():
        assert [int(r[3]) for r in rows] == [1, 2, 3, 4, 5]
        scores = [float(r[4]) for r in rows]
        assert scores == sorted(scores, reverse=True)
        assert qid.startswith("q-")
    assert by_query["q-fuel-cell-ja"][0][2] in {"fuel-cell-ja", "fuel-cell-en"}


@pytest.mark.parametrize("mode", ["bm25", "dense"])
def test_other_modes_and_the_hyphenated_command_name(files, mode, capsys):
    docs, queries, tmp = files
    renkei(
        [
            "match-batch",
            "--docs",
            str(docs),
            "--queries",
            str(queries),
            "--out",
            str(tmp / "r"),
            "--top",
            "3",
            "--mode",
            mode,
            "--no-progress",
        ]
    )
    lines = (tmp / "r").read_text().splitlines()
    assert lines and all(line.endswith(f"renkei-{mode}") for line in lines)


def error_for(docs, queries, tmp) -> str:
    with pytest.raises(CommandError) as info:
        run(docs, queries, tmp / "bad.trec")
    assert not (tmp / "bad.trec").exists()
    return str(info.value)


def test_an_empty_file_is_named(files):
    docs, queries, tmp = files
    (tmp / "empty.jsonl").write_text("\n\n", encoding="utf-8")
    assert "empty.jsonl: the file is empty" in error_for(tmp / "empty.jsonl", queries, tmp)


def test_a_malformed_line_is_reported_with_its_number(files):
    docs, queries, tmp = files
    text = docs.read_text(encoding="utf-8").splitlines()
    text[2] = '{"id": "x", "lang": "en", "title": "t", "text": "unterminated}'
    (tmp / "d.jsonl").write_text("\n".join(text) + "\n", encoding="utf-8")
    message = error_for(tmp / "d.jsonl", queries, tmp)
    assert "d.jsonl, line 3: not valid JSON" in message


def test_missing_keys_and_wrong_types_are_reported(files):
    docs, queries, tmp = files
    write_jsonl(
        tmp / "q.jsonl",
        [
            {"id": "q1", "lang": "en", "text": "fine"},
            {"id": "q2", "text": "no lang"},
            {"id": "q3", "lang": "en", "text": 42},
            [1, 2],
            {"id": "a b", "lang": "en", "text": "x"},
        ],
    )
    message = error_for(docs, tmp / "q.jsonl", tmp)
    assert "line 2: missing key 'lang'" in message
    assert "line 3: 'text' must be a string, found int" in message
    assert "line 4: expected a JSON object, found list" in message
    assert "line 5: 'id' must be non-empty and contain no spaces" in message


def test_an_empty_query_text_is_refused(files):
    docs, queries, tmp = files
    write_jsonl(tmp / "q.jsonl", [{"id": "q1", "lang": "ja", "text": "  "}])
    assert "q.jsonl, line 1: 'text' is empty" in error_for(docs, tmp / "q.jsonl", tmp)


def test_duplicate_ids_are_refused(files):
    docs, queries, tmp = files
    write_jsonl(tmp / "q.jsonl", [{"id": "q1", "lang": "ja", "text": "a"}, {"id": "q1", "lang": "ja", "text": "b"}])
    assert "line 2: id 'q1' already used on line 1" in error_for(docs, tmp / "q.jsonl", tmp)


def test_shift_jis_bytes_are_reported_with_the_line(files):
    docs, queries, tmp = files
    good = json.dumps({"id": "q1", "lang": "ja", "text": "燃料電池"}, ensure_ascii=False).encode("utf-8")
    bad = json.dumps({"id": "q2", "lang": "ja", "text": "燃料電池"}, ensure_ascii=False).encode("shift_jis")
    (tmp / "q.jsonl").write_bytes(good + b"\n" + bad + b"\n")
    message = error_for(docs, tmp / "q.jsonl", tmp)
    assert "q.jsonl, line 2: not valid UTF-8" in message and "SHIFT-JIS" in message


def test_a_utf16_file_is_refused_with_advice(files):
    docs, queries, tmp = files
    (tmp / "q.jsonl").write_text('{"id": "q1", "lang": "en", "text": "x"}\n', encoding="utf-16")
    assert "UTF-16-encoded; save it as UTF-8" in error_for(docs, tmp / "q.jsonl", tmp)


def test_a_utf8_bom_is_accepted(files):
    docs, queries, tmp = files
    (tmp / "q.jsonl").write_bytes(
        b"\xef\xbb\xbf" + json.dumps({"id": "q1", "lang": "en", "text": "fuel cell"}).encode()
    )
    run(docs, tmp / "q.jsonl", tmp / "ok.trec", "--top", "1")
    assert (tmp / "ok.trec").read_text().startswith("q1 Q0 fuel-cell-")


def test_huge_text_over_the_limit_is_refused_and_long_text_works(files):
    docs, queries, tmp = files
    write_jsonl(tmp / "q.jsonl", [{"id": "q1", "lang": "en", "text": "x" * (MAX_TEXT_CHARS + 1)}])
    assert "line 1: 'text' is 1,000,001 characters long; the limit is 1,000,000" in error_for(
        docs, tmp / "q.jsonl", tmp
    )
    long_doc = {"id": "long", "lang": "ja", "title": "長文", "text": "燃料電池の白金触媒を改良する。" * 6000}  # ~270 kB
    write_jsonl(tmp / "d.jsonl", [long_doc, {"id": "short", "lang": "en", "title": "Drone", "text": "crop spraying"}])
    write_jsonl(tmp / "q.jsonl", [{"id": "q1", "lang": "ja", "text": "燃料電池の触媒"}])
    run(tmp / "d.jsonl", tmp / "q.jsonl", tmp / "ok.trec", "--top", "2")
    assert (tmp / "ok.trec").read_text().splitlines()[0].split()[2] == "long"


def test_match_prints_reasons(files, capsys):
    docs, _, _ = files
    call_command("match", "燃料電池の白金触媒を減らしたい", "--docs", str(docs), "--top", "2")
    out = capsys.readouterr().out
    assert "1. 白金使用量を半減する燃料電池触媒" in out
    assert "shared terms:" in out and "燃料電池" in out


def test_match_prints_the_terms_shared_through_a_translation(files, capsys):
    docs, _, _ = files
    call_command("match", "燃料電池の白金触媒を減らしたい", "--docs", str(docs), "--top", "2")
    out = capsys.readouterr().out
    english = out[out.index("2. ") :]  # the English seed comes second, after the Japanese one
    assert "Fuel cell catalyst with half the platinum" in english
    assert "≈ 燃料電池" in english and "≈ 白金" in english


def test_match_without_an_index_explains_what_to_do(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    with pytest.raises(CommandError, match="pass --docs FILE"):
        call_command("match", "燃料電池")


def test_match_uses_the_platform_index_when_there_is_one(settings, tmp_path, embedder, capsys):
    from renkei.matching.engine import Document, MatchIndex, default_index_dir

    settings.DATA_DIR = tmp_path
    docs = [
        Document("s1", "ja", "燃料電池の触媒", "白金の使用量を減らす燃料電池の触媒技術。"),
        Document("s2", "en", "Drone", "Crop spraying."),
    ]
    MatchIndex.build(docs, embedder=embedder).save(default_index_dir())
    call_command("match", "fuel cell catalyst", "--top", "1")
    assert "1. 燃料電池の触媒" in capsys.readouterr().out


def test_progress_is_shown_on_stderr(files, capsys):
    docs, queries, tmp = files
    call_command("match_batch", "--docs", str(docs), "--queries", str(queries), "--out", str(tmp / "p.trec"))
    err = capsys.readouterr().err
    for stage in ("analyse", "embed", "rank"):
        assert stage in err
    assert "wrote" in err and "24 queries" in err
