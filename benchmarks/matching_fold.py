"""Folding the change journal into a saved index: the in-memory fold against the streaming one.

    RENKEI_DATA_DIR=/tmp/renkei-fold nice -n 10 .venv/bin/python benchmarks/matching_speed.py \\
        --docs 100000 --stages build --shards 1
    RENKEI_DATA_DIR=/tmp/renkei-fold nice -n 10 .venv/bin/python benchmarks/matching_fold.py \\
        --docs 100000 --entries 1000 --slices 50000,20000,10000,5000 [--index DIR] [--no-old]

1. The saved index (``--index``, by default ``$RENKEI_DATA_DIR/bench-speed/scale-<docs>`` as
   matching_speed.py's build or replicate stage writes it) is "copied" once per run as hard
   links: a fold never changes a file in place (it writes a new directory and swaps it in), so
   the copies cost no space and the source stays as it was.
2. A journal of --entries entries is written for the index's generation, one record per change
   as the platform's writer does: half new generated documents (matching_speed.py's generator:
   bench-dev sentences at the real corpora's lengths, half English, half Japanese), a quarter new
   versions of documents of the index, a quarter removals. The documents are analysed by the
   engine; their vectors are synthetic as matching_speed.py makes them, mixed from real vectors
   read from the index itself (no model is loaded).
3. Each fold runs in a fresh process of its own on its own copy: ``old`` (the fold before
   30 Nov: ``MatchIndex.load``, ``apply_changes(frozen=False)``, BM25 rebuild, save) and
   ``streaming`` (``engine.fold.fold_saved``) for each --slices size (``--no-old``: the streaming
   ones only, for an index whose in-memory fold would not fit). Reported per run: the
   process's wall time, its CPU time (``os.wait4``: the child's own rusage) and peak RSS (its
   VmHWM, see ``peak_rss_mb``), the fold's steps timed inside it, and the ratios against
   ``old``. The folded indexes are checked to hold the same documents in the same order (the
   old one with its holes left out).

Progress goes to stderr (bars on a terminal, a line per 10% in a log). Run it under ``nice``:
the machine is shared. The copies are removed at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))


def hard_link_copy(source: Path, target: Path) -> None:
    """``target``: a directory of hard links to ``source``'s files (a fold replaces, never edits)."""
    target.mkdir(parents=True)
    for f in source.iterdir():
        os.link(f, target / f.name)


def write_journal(directory: Path, entries: int, progress) -> dict:  # type: ignore[no-untyped-def]
    """Append ``entries`` generated changes to the journal of the index in ``directory``."""
    import numpy as np
    from matching_speed import KINDS, PREFECTURES, SyntheticEmbedder, generate_stream

    from renkei.matching.engine import Document, EngineConfig, MatchIndex, journal

    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    vectors = np.load(directory / "dense_vectors.npy", mmap_mode="r")
    pool = np.array(vectors[:: max(1, len(vectors) // 3000)][:3000])  # real-like vectors of the index
    analyser = MatchIndex(EngineConfig.saved(manifest["config"]), embedder=SyntheticEmbedder(pool))
    ids = [json.loads(line)["id"] for line in _live_lines(directory)]
    rng = random.Random(23)
    touched = rng.sample(ids, entries // 2)  # existing documents: half get a new version, half go
    new_versions, removals = touched[: entries // 4], touched[entries // 4 :]
    fresh = [f"F{i}" for i in range(entries - len(touched))]
    plan = [("add", doc_id) for doc_id in fresh + new_versions] + [("remove", doc_id) for doc_id in removals]
    rng.shuffle(plan)
    texts = generate_stream(len(plan), seed=29)
    path = journal.journal_path(directory)
    path.unlink(missing_ok=True)
    progress("journal", 0, len(plan))
    started = time.perf_counter()
    for (action, doc_id), row in zip(plan, texts, strict=False):
        if action == "remove":
            change = analyser.prepare_changes([], removed=[doc_id])
        else:
            fields = {"kind": rng.choice(KINDS), "prefecture": rng.choice(PREFECTURES)}
            doc = Document(doc_id, row["lang"], row["title"], row["text"], fields=fields)
            change = analyser.prepare_changes([doc])
        journal.append(path, manifest["generation"], [change])
        progress("journal", 1, None)
    return {
        "entries": journal.entries(path, manifest["generation"]),
        "new_documents": len(fresh),
        "new_versions": len(new_versions),
        "removals": len(removals),
        "journal_mb": round(path.stat().st_size / 2**20, 1),
        "write_wall_s": round(time.perf_counter() - started, 1),
    }


def _live_lines(directory: Path):  # type: ignore[no-untyped-def]
    with (directory / "documents.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            if not line.startswith("null"):
                yield line


def document_ids(directory: Path) -> list[str]:
    return [json.loads(line)["id"] for line in _live_lines(directory)]


# ---- the child processes: one fold each ----
def child_old(directory: Path) -> dict:
    """The fold before 30 Nov: the whole index loaded, the journal applied, saved."""
    from renkei.matching.engine import Embedder, MatchIndex, journal
    from renkei.matching.engine.progress import rich_progress

    steps: dict[str, float] = {}
    with rich_progress() as progress:
        progress("in-memory fold", 0, 4)

        def step(name: str, run):  # type: ignore[no-untyped-def]
            wall = time.perf_counter()
            value = run()
            steps[name] = round(time.perf_counter() - wall, 2)
            progress("in-memory fold", 1, None)
            return value

        index = step("load", lambda: MatchIndex.load(directory, embedder=Embedder(workers=1)))
        changes, _state = journal.read(journal.journal_path(directory), index.generation)
        entries = step("apply", lambda: index.apply_changes(changes, frozen=False))
        step("bm25 rebuild", index.lexical.refresh)
        step("save", lambda: index.save(directory))
    journal.discard(journal.journal_path(directory))
    return {"entries": entries, "documents": len(index), "steps_wall_s": steps}


def child_streaming(directory: Path, slice_size: int) -> dict:
    from renkei.matching.engine import Embedder
    from renkei.matching.engine.fold import fold_saved
    from renkei.matching.engine.progress import rich_progress

    steps: dict[str, float] = {}
    started = time.perf_counter()
    with rich_progress() as bars:

        def progress(stage: str, advance: int, total: int | None) -> None:
            steps.setdefault(f"{stage} starts at", round(time.perf_counter() - started, 2))
            bars(stage, advance, total)

        embedder = Embedder(workers=1)
        entries, documents = fold_saved(directory, slice_size=slice_size, embedder=embedder, progress=progress)
    steps["fold"] = round(time.perf_counter() - started, 2)
    return {"entries": entries, "documents": documents, "steps_wall_s": steps}


def peak_rss_mb() -> int:
    """This process's peak resident memory since it started its program (VmHWM). Not
    ``ru_maxrss``: Linux carries the peak of the image a process replaced at exec into it, and a
    child started by subprocess (vfork) would report the parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024)
    raise RuntimeError("no VmHWM in /proc/self/status")


def run_child(kind: str, directory: Path, slice_size: int) -> dict:
    """Run one fold in a fresh process; its own wall time, CPU time and peak RSS."""
    command = [sys.executable, __file__, "--child", kind, "--index", str(directory), "--slices", str(slice_size)]
    load_before = os.getloadavg()
    wall = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    output = child.stdout.read()
    _pid, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - wall
    if status != 0:
        raise SystemExit(f"the {kind} fold failed (status {status})")
    result = json.loads(output.strip().splitlines()[-1])
    result.update(
        process_wall_s=round(wall, 1),
        cpu_s=round(usage.ru_utime + usage.ru_stime, 1),
        load_average_1_5_15_before=[round(x, 2) for x in load_before],
    )
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=100_000, help="the index bench-speed/scale-<docs>")
    ap.add_argument("--index", type=Path, help="a saved index directory instead")
    ap.add_argument("--entries", type=int, default=1000, help="journal entries (documents added or removed)")
    ap.add_argument("--slices", default="", help="streaming: positions per part, runs comma-separated (FOLD_SLICE)")
    ap.add_argument("--no-old", action="store_true", help="leave out the in-memory fold (~15 GB at a million)")
    ap.add_argument("--child", choices=("old", "streaming"), help=argparse.SUPPRESS)
    a = ap.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renkei.settings")
    if a.child:
        result = child_old(a.index) if a.child == "old" else child_streaming(a.index, int(a.slices))
        print(json.dumps(result | {"peak_rss_mb": peak_rss_mb()}))
        return

    from matching_speed import OUT

    from renkei.matching.engine.fold import FOLD_SLICE
    from renkei.matching.engine.progress import rich_progress

    source = a.index or OUT / f"scale-{a.docs}"
    if not (source / "manifest.json").exists():
        raise SystemExit(f"no saved index in {source}: build one with matching_speed.py --stages build")
    if not json.loads((source / "manifest.json").read_text(encoding="utf-8")).get("generation"):
        raise SystemExit(f"{source} has no generation (saved before journals): run matching_speed.py --stages update")
    work = source.parent / f"fold-bench-{source.name}"
    shutil.rmtree(work, ignore_errors=True)
    report: dict = {"index": str(source), "load_average_before": [round(x, 2) for x in os.getloadavg()]}
    try:
        master = work / "journal-master" / source.name
        hard_link_copy(source, master)
        with rich_progress() as progress:
            report["journal"] = write_journal(master, a.entries, progress)
        print(json.dumps(report["journal"]), flush=True)
        runs = [] if a.no_old else [("old", 0)]
        runs += [("streaming", int(size)) for size in (a.slices or str(FOLD_SLICE)).split(",")]
        folded: dict[str, list[str]] = {}
        for kind, size in runs:
            label = kind if kind == "old" else f"streaming, slices of {size}"
            copy = work / label.replace(" ", "-").replace(",", "") / source.name
            hard_link_copy(source, copy)
            shutil.copyfile(master.with_name(f"{source.name}.journal"), copy.with_name(f"{source.name}.journal"))
            print(f"{label}:", file=sys.stderr, flush=True)
            report[label] = run_child(kind, copy, size)
            print(label, json.dumps(report[label]), flush=True)
            folded[label] = document_ids(copy)
            shutil.rmtree(copy.parent)
        baseline = report.get("old")
        for label in folded:
            if baseline is None or label == "old":
                continue
            report[label]["same_documents_in_the_same_order_as_old"] = folded[label] == folded["old"]
            report[label]["ratio_to_old"] = {
                key: round(report[label][key] / max(baseline[key], 1e-9), 3)
                for key in ("process_wall_s", "cpu_s", "peak_rss_mb")
            }
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    out = OUT / f"fold-{source.name}-{a.entries}.json"
    out.write_text(json.dumps(report, indent=1), encoding="utf-8")
    print(json.dumps(report, indent=1))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
