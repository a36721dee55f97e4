"""`renkei schedule-meetings` as an organiser runs it: JSON in, JSON out, clear errors."""

from __future__ import annotations

import json

from tests.core.test_cli import run_renkei

from .scheduling_helpers import assert_valid_schedule

INSTANCE = {
    "slots": ["09:00", "09:20", "09:40"],
    "tables": [{"id": "T1", "capacity": 1}, {"id": "T2", "capacity": 1}],
    "participants": [
        {"id": "kyushu-semi", "available": ["09:00", "09:20", "09:40"]},
        {"id": "fukuoka-univ", "available": ["09:00", "09:20"]},
        {"id": "kitakyushu-city", "available": ["09:20"]},
        {"id": "saga-ceramics", "available": []},
    ],
    "requests": [
        {"id": "r1", "participants": ["kyushu-semi", "fukuoka-univ"], "priority": 3},
        {"id": "r2", "participants": ["kyushu-semi", "kitakyushu-city", "fukuoka-univ"], "priority": 2},
        {"id": "r3", "participants": ["saga-ceramics", "kyushu-semi"], "priority": 1},
    ],
}


def test_it_writes_the_schedule_and_reports_on_stderr(tmp_path):
    (tmp_path / "instance.json").write_text(json.dumps(INSTANCE), encoding="utf-8")

    result = run_renkei(
        ["schedule-meetings", "--input", "instance.json", "--out", "schedule.json"], tmp_path, timeout=120
    )

    assert result.returncode == 0, result.stderr
    assert "scheduled 2 of 3 requests (priority 5 of at most 5, optimal)" in result.stderr
    output = json.loads((tmp_path / "schedule.json").read_text(encoding="utf-8"))
    assert output == {
        "meetings": [
            {"request": "r1", "slot": "09:00", "table": "T1"},
            {"request": "r2", "slot": "09:20", "table": "T1"},
        ],
        "unscheduled": [{"request": "r3", "reason": 'participant "saga-ceramics" has no available slot'}],
    }


def test_late_changes_keep_the_announced_meetings(tmp_path):
    # The organiser feeds the announced schedule back as "fixed"; r1 is cancelled, r4 is new.
    late = json.loads(json.dumps(INSTANCE))
    late["participants"][2]["available"] = ["09:20", "09:40"]
    late["requests"] = [
        late["requests"][1],
        {"id": "r4", "participants": ["kyushu-semi", "kitakyushu-city"], "priority": 9},
    ]
    late["fixed"] = [
        {"request": "r1", "slot": "09:00", "table": "T1"},
        {"request": "r2", "slot": "09:20", "table": "T1"},
    ]
    (tmp_path / "late.json").write_text(json.dumps(late), encoding="utf-8")

    result = run_renkei(["schedule-meetings", "--input", "late.json", "--out", "-"], tmp_path, timeout=120)

    assert result.returncode == 0, result.stderr
    assert 'announced meeting of request "r1" dropped' in result.stderr
    output = json.loads(result.stdout)
    assert {"request": "r2", "slot": "09:20", "table": "T1"} in output["meetings"]
    assert {"request": "r4", "slot": "09:40", "table": "T1"} in output["meetings"]
    from renkei.events.scheduling import Meeting, Schedule, SolveStats, parse_instance

    instance = parse_instance(late)
    schedule = Schedule(
        meetings=tuple(Meeting(**m) for m in output["meetings"]),
        unscheduled=(),
        stats=SolveStats(status="optimal", objective=11, bound=11, wall_seconds=0),
    )
    assert_valid_schedule(instance, schedule)


def test_an_invalid_instance_is_refused_with_the_entry_named_and_no_output(tmp_path):
    bad = json.loads(json.dumps(INSTANCE))
    bad["requests"].append({"id": "r1", "participants": ["kyushu-semi", "nobody"]})
    (tmp_path / "bad.json").write_text(json.dumps(bad), encoding="utf-8")

    result = run_renkei(["schedule-meetings", "--input", "bad.json", "--out", "schedule.json"], tmp_path, timeout=120)

    assert result.returncode != 0
    assert 'requests[3]: duplicate id "r1"' in result.stderr
    assert 'requests[3] (id "r1"): participant "nobody" is unknown' in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "schedule.json").exists()


def test_malformed_json_and_a_missing_file_are_explained(tmp_path):
    (tmp_path / "broken.json").write_text('{"slots": ["09:00",]}', encoding="utf-8")

    broken = run_renkei(["schedule-meetings", "--input", "broken.json", "--out", "s.json"], tmp_path, timeout=120)
    missing = run_renkei(["schedule-meetings", "--input", "nothere.json", "--out", "s.json"], tmp_path, timeout=120)

    assert broken.returncode != 0
    assert "broken.json: invalid instance (1 problem):" in broken.stderr
    assert "not valid JSON" in broken.stderr
    assert missing.returncode != 0
    assert "nothere.json: no such file" in missing.stderr
    assert "Traceback" not in broken.stderr + missing.stderr


def test_a_time_limit_that_is_not_positive_is_refused(tmp_path):
    (tmp_path / "instance.json").write_text(json.dumps(INSTANCE), encoding="utf-8")
    result = run_renkei(
        ["schedule-meetings", "--input", "instance.json", "--out", "s.json", "--time-limit", "0"], tmp_path, timeout=120
    )
    assert result.returncode != 0
    assert "--time-limit must be a positive number of seconds" in result.stderr
