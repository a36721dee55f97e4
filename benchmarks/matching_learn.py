"""Learning the hybrid's fusion on bench-dev, with held-out evaluation.

Step 1 (``dump``, once per task): from the cached index of ``matching_eval.py``, the full BM25
score vector of every query (the engine's own analysis and scoring), its cosine to every
document (the engine's own query embedding) and each document's evidence count
(``n_projects``) are saved to ``<cache>/<task>-features.npz``. The engine's candidate set is
reproduced: the union of the top ``candidates`` of each side.

Step 2 (``sweep``): fusion rules are compared on those arrays in numpy, always on queries the
rule was not fitted on: ``--folds 5`` splits the queries into five folds by a fixed shuffle;
the weights fitted on four folds rank the fifth, and the five held-out runs are scored
together with bench-dev's ``eval.py`` (imported, so the numbers are its numbers). Fixed
rules (no fitting) are scored on all queries. ``--train a --test b`` fits on one task and
scores the other.

    .venv/bin/python benchmarks/matching_learn.py dump --task a
    .venv/bin/python benchmarks/matching_learn.py sweep --task a --folds 5
    .venv/bin/python benchmarks/matching_learn.py sweep --train a --test b

Step 3 (``grid``): the weights of one linear family (lexical weight 1, a grid of dense and
evidence weights) are chosen by cross-validation on the nDCG@10 of every qrels view relative to
BM25, the held-out scores reported with a paired test; ``--write`` ships the point chosen on
all queries as ``src/renkei/matching/engine/fusion_weights.json``, which the engine reads:

    .venv/bin/python benchmarks/matching_learn.py grid --task a --family z --objective min --write

``lsa`` measures a corpus-trained semantic signal (LSA of the index terms) as an extra feature,
``whiten`` the USE vectors centred or whitened by the corpus's own statistics:

    .venv/bin/python benchmarks/matching_learn.py lsa --task a --dims 200
    .venv/bin/python benchmarks/matching_learn.py whiten --task a --task b

Every rule is a linear model over ``fusion.features`` (the same function the engine ranks
with). The ``sweep`` rules are fitted by logistic regression of "relevant or not" (all-partner
qrels) on each query's candidates (Newton's method, L2 penalty; each query's positives and
negatives weigh one query each).
"""

from __future__ import annotations

import argparse
import glob
import importlib.util
import json
import os
from pathlib import Path

import numpy as np
from matching_eval import BENCH, TASKS, read_jsonl  # noqa: I001  (sibling script)

from renkei.matching.engine import EngineConfig, MatchIndex, fusion
from renkei.matching.engine.text import has_japanese, normalize

CACHE = Path(os.environ.get("RENKEI_DATA_DIR", "/tmp")) / "bench-cache"
WEIGHTS = Path(fusion.__file__).with_name("fusion_weights.json")


def load_eval():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("bench_eval", BENCH / "eval.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def cached_index(task: str, cache: Path) -> Path:
    found = [p for p in sorted(cache.glob(f"{task}-*")) if (p / "manifest.json").exists()]
    if not found:
        raise SystemExit(f"no cached index for task {task} in {cache}: run matching_eval.py --task {task} first")
    return found[0]


def dump(task: str, cache: Path) -> Path:
    index = MatchIndex.load(cached_index(task, cache))
    index.reconfigure(**{k: getattr(EngineConfig(), k) for k in ("k1", "b")})
    queries = read_jsonl(BENCH / TASKS[task] / "queries.jsonl")
    corpus = {d["id"]: d for d in read_jsonl(BENCH / TASKS[task] / "corpus.jsonl")}
    positions = np.flatnonzero(index.lexical.alive)
    ids = [index.documents[p].id for p in positions]
    texts = [normalize(q["text"]) for q in queries]
    q_vectors = index.embed_queries(texts)
    lex = np.stack([index.lexical_scores(t)[positions] for t in texts])
    store = index.vectors
    spans = [store.doc_slots[int(p)] for p in positions]
    starts = np.array([s for s, _ in spans])
    # One vector per document with mean pooling; max over slots otherwise (the engine's rule).
    dense = np.maximum.reduceat(q_vectors @ store.vectors.T, starts, axis=1)
    # Dense pseudo-relevance feedback: cosine to the mean vector of the top BM25 documents.
    doc_vectors = store.vectors[starts]
    prf = {}
    for k in (3, 10):
        top = np.argsort(-lex, axis=1, kind="stable")[:, :k]
        centroid = doc_vectors[top].mean(axis=1)
        centroid /= np.maximum(np.linalg.norm(centroid, axis=1, keepdims=True), 1e-12)
        prf[f"prf{k}"] = (centroid @ doc_vectors.T).astype(np.float32)
    evidence = np.array([float(corpus[i].get("n_projects", 1)) for i in ids])
    path = cache / f"{task}-features.npz"
    np.savez_compressed(
        path,
        lex=lex.astype(np.float32),
        dense=dense.astype(np.float32),
        evidence=evidence,
        **prf,
        ids=np.array(ids),
        qids=np.array([q["id"] for q in queries]),
    )
    return path


class Task:
    """One task's dumped arrays, candidate sets and qrels views."""

    def __init__(self, task: str, cache: Path, bench_eval, candidates: int = EngineConfig().candidates) -> None:  # type: ignore[no-untyped-def]
        data = np.load(cache / f"{task}-features.npz")
        self.name = task
        self.lex, self.dense, self.evidence = data["lex"], data["dense"], data["evidence"]
        self.prf = {k: data[k] for k in ("prf3", "prf10")}
        self.prf_k = "prf3"
        self.ids, self.qids = data["ids"].tolist(), data["qids"].tolist()
        self.qrels = {
            Path(p).name: bench_eval.load_qrels(p) for p in sorted(glob.glob(str(BENCH / TASKS[task] / "qrels*.tsv")))
        }
        self.bench_eval = bench_eval
        # The engine's cross-language rule (fusion.py): which candidates are in the other
        # language than the query, by script, as MatchIndex decides it.
        corpus = {d["id"]: d for d in read_jsonl(BENCH / TASKS[task] / "corpus.jsonl")}
        self.doc_ja = np.array(
            [
                has_japanese(corpus[i].get("title", "")) or has_japanese(corpus[i].get("text", "")[:2000])
                for i in self.ids
            ]
        )
        queries = {q["id"]: q for q in read_jsonl(BENCH / TASKS[task] / "queries.jsonl")}
        self.query_ja = [has_japanese(normalize(queries[q]["text"])) for q in self.qids]
        self.cands: list[np.ndarray] = []
        for qi in range(len(self.qids)):
            lex_top = _top(self.lex[qi], candidates)
            lex_top = lex_top[self.lex[qi][lex_top] > 0]
            self.cands.append(np.union1d(lex_top, _top(self.dense[qi], candidates)))
        main = self.qrels["qrels.tsv"]
        self.labels = []
        for qi, qid in enumerate(self.qids):
            rel = main.get(qid, {})
            self.labels.append(np.array([rel.get(self.ids[d], 0) > 0 for d in self.cands[qi]], dtype=float))

    def features(self, qi: int, names: tuple[str, ...]) -> np.ndarray:
        """``fusion.features`` of the query's candidates, plus ``prf_z`` (measured here only:
        the z-score of the cosine to the mean vector of the best BM25 documents)."""
        c = self.cands[qi]
        cross = self.doc_ja[c] != self.query_ja[qi]
        engine = [n for n in names if n != "prf_z"]
        got = fusion.features(self.lex[qi][c], self.dense[qi][c], self.evidence[c], engine, cross)
        columns = dict(zip(engine, got.T, strict=True))
        if "prf_z" in names:
            columns["prf_z"] = fusion._z(self.prf[self.prf_k][qi][c].astype(np.float64))
        return np.stack([columns[n] for n in names], axis=1)

    def set_dense(self, dense: np.ndarray, candidates: int = 1000) -> None:
        """Replace the cosine matrix (another dense signal) and rebuild the candidate sets as
        the engine would from it."""
        self.dense = dense
        self.cands = []
        for qi in range(len(self.qids)):
            lex_top = _top(self.lex[qi], candidates)
            lex_top = lex_top[self.lex[qi][lex_top] > 0]
            self.cands.append(np.union1d(lex_top, _top(dense[qi], candidates)))

    def run(self, scorer, queries) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
        out = {}
        for qi in queries:
            c = self.cands[qi]
            s = scorer(qi)
            order = np.lexsort((c, -s))[:100]
            out[self.qids[qi]] = [self.ids[d] for d in c[order]]
        return out

    def score(self, run: dict[str, list[str]]) -> dict[str, float]:
        return {name: self.bench_eval.evaluate(rels, run)[0]["nDCG@10"] for name, rels in self.qrels.items()}

    def per_query(self, run: dict[str, list[str]]) -> dict[str, np.ndarray]:
        """nDCG@10 of every query (NaN where the view has no relevant document for it)."""
        out = {}
        for name, rels in self.qrels.items():
            got = self.bench_eval.evaluate(rels, run)[1]
            out[name] = np.array([got[q]["nDCG@10"] if q in got else np.nan for q in self.qids])
        return out


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    if len(scores) <= k:
        return np.arange(len(scores))
    return np.argpartition(-scores, k - 1)[:k]


def fit_logistic(xs: list[np.ndarray], ys: list[np.ndarray], l2: float = 1.0) -> np.ndarray:
    """Weights (bias last) of a logistic regression; each query's positives and negatives
    weigh one query in total each, so long candidate lists do not dominate."""
    x = np.concatenate([np.c_[a, np.ones(len(a))] for a in xs])
    y = np.concatenate(ys)
    sw = np.concatenate([np.where(b > 0, 1.0 / max(b.sum(), 1), 1.0 / max((b == 0).sum(), 1)) for b in ys])
    w = np.zeros(x.shape[1])
    reg = np.full(x.shape[1], l2)
    reg[-1] = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-(x @ w)))
        grad = x.T @ (sw * (p - y)) + reg * w
        hess = (x * (sw * p * (1 - p))[:, None]).T @ x + np.diag(reg) + 1e-9 * np.eye(len(w))
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def folds_of(n: int, k: int, seed: int = 20261129) -> list[np.ndarray]:
    order = np.random.default_rng(seed).permutation(n)
    return [np.sort(order[i::k]) for i in range(k)]


def lsa_check(task: str, cache: Path, bench_eval, k: int = 200) -> None:  # type: ignore[no-untyped-def]
    """A corpus-trained semantic signal as a fusion feature: LSA of the engine's own terms.

    TF-IDF (log tf, BM25 idf, rows L2-normalised) of every document's index terms, a
    randomized SVD to ``k`` dimensions (2 power iterations, numpy only), queries folded in
    through the same term weights; the cosine in that space is added to the shipped fusion
    as ``w · z(lsa)``. Printed: nDCG@10 per view on all queries (an upper bound: no fitting
    is held out, and none of it helped).
    """
    index = MatchIndex.load(cached_index(task, cache))
    n, v = len(index.lexical.terms), len(index.lexical.vocab)
    counted = [
        np.unique(ids if ids is not None else np.zeros(0, np.int32), return_counts=True) for ids in index.lexical.terms
    ]
    df = np.zeros(v)
    for u, _ in counted:
        df[u] += 1
    idf = np.log((n - df + 0.5) / (df + 0.5) + 1)
    indptr = np.r_[0, np.cumsum([len(u) for u, _ in counted])]
    indices = np.concatenate([u for u, _ in counted]).astype(np.int64)
    data = np.concatenate([np.log1p(c) * idf[u] for u, c in counted])
    lengths = np.diff(indptr)
    norms = np.sqrt(np.add.reduceat(data**2, indptr[:-1])) if len(data) else np.zeros(n)
    data = (data / np.repeat(np.maximum(norms, 1e-12), lengths)).astype(np.float32)
    owner = np.repeat(np.arange(n), lengths)
    by_term = np.argsort(indices, kind="stable")
    t_ptr = np.r_[0, np.cumsum(np.bincount(indices, minlength=v))]

    def product(ptr, idx, val, m, rows):  # type: ignore[no-untyped-def]
        """Sparse (rows × ·) matrix in CSR form times the dense ``m``, in chunks."""
        out = np.zeros((rows, m.shape[1]), np.float32)
        row_of = np.repeat(np.arange(rows), np.diff(ptr))
        for s in range(0, len(idx), 300_000):
            e = min(s + 300_000, len(idx))
            part = m[idx[s:e]] * val[s:e, None]
            r = row_of[s:e]
            starts = np.flatnonzero(np.r_[True, r[1:] != r[:-1]])
            out[r[starts]] += np.add.reduceat(part, starts, axis=0)
        return out

    def x(m):  # type: ignore[no-untyped-def]
        return product(indptr, indices, data, m, n)

    def xt(m):  # type: ignore[no-untyped-def]
        return product(t_ptr, owner[by_term], data[by_term], m, v)

    y = x(np.random.default_rng(0).standard_normal((v, k + 20)).astype(np.float32))
    for _ in range(2):
        q, _ = np.linalg.qr(y)
        z, _ = np.linalg.qr(xt(q))
        y = x(z)
    q, _ = np.linalg.qr(y)
    _, _, vt = np.linalg.svd(xt(q).T, full_matrices=False)
    basis = vt[:k].T.astype(np.float32)
    docs = x(basis)
    docs /= np.maximum(np.linalg.norm(docs, axis=1, keepdims=True), 1e-9)
    queries = read_jsonl(BENCH / TASKS[task] / "queries.jsonl")
    q_vectors = np.zeros((len(queries), k), np.float32)
    for i, query in enumerate(queries):
        u, c = np.unique(index.lexical.query_ids(index.query_keys(normalize(query["text"]))), return_counts=True)
        q_vectors[i] = ((np.log1p(c) * idf[u])[:, None] * basis[u]).sum(axis=0)
    q_vectors /= np.maximum(np.linalg.norm(q_vectors, axis=1, keepdims=True), 1e-9)
    positions = np.flatnonzero(index.lexical.alive)
    lsa = q_vectors @ docs[positions].T
    t = Task(task, cache, bench_eval)
    shipped = fusion.load_weights()
    views = list(t.qrels)
    print(f"LSA of {task}: {k} dimensions over {v:,} terms, {len(data):,} non-zeros")
    print("| ranking | " + " | ".join(views) + " |")
    print("|---|" + "---|" * len(views))
    everyone = range(len(t.qids))

    def show(label: str, scorer) -> None:  # type: ignore[no-untyped-def]
        got = t.score(t.run(scorer, everyone))
        print(f"| {label} | " + " | ".join(f"{got[view]:.4f}" for view in views) + " |", flush=True)

    def fused(qi: int) -> np.ndarray:
        return t.features(qi, shipped.features) @ np.asarray(shipped.weights)

    show("bm25", lambda qi: t.lex[qi][t.cands[qi]].astype(np.float64))
    show("lsa alone (over the candidates)", lambda qi: lsa[qi][t.cands[qi]].astype(np.float64))
    show("shipped fusion", fused)
    for w in (0.1, 0.2, 0.3, 0.5):
        show(
            f"shipped + {w} z(lsa)", lambda qi, w=w: fused(qi) + w * fusion._z(lsa[qi][t.cands[qi]].astype(np.float64))
        )


def _whitened(docs: np.ndarray, queries: np.ndarray, alpha: float, dims: int) -> tuple[np.ndarray, np.ndarray]:
    """Both sides centred on the corpus mean and projected on its top ``dims`` principal axes,
    each scaled by eigenvalue^-alpha (alpha 0.5 = full whitening, 0 = centring and projection
    only), then L2-normalised."""
    mean = docs.mean(axis=0)
    centred = docs - mean
    eigenvalues, axes = np.linalg.eigh(centred.T @ centred / len(centred))
    order = np.argsort(-eigenvalues)[:dims]
    projection = axes[:, order] / (eigenvalues[order] + 1e-6) ** alpha

    def unit(x: np.ndarray) -> np.ndarray:
        return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)

    return unit(centred @ projection), unit((queries - mean) @ projection)


def whiten_check(task: str, cache: Path, bench_eval, variants: list[str]) -> None:  # type: ignore[no-untyped-def]
    """Post-processing of the USE vectors by the corpus's own statistics (centring, whitening):
    does it make the dense signal, alone and in the shipped fusion's family, any stronger?

    Each variant is ``alpha/dims``; the document vectors are the index's (mean-pooled), the
    queries are embedded by the engine (cached in ``<cache>/<task>-qvec.npy``). Printed:
    nDCG@10 per view on all queries for dense alone and for ``z(BM25) + w · z(cosine) +
    0.025 · log(evidence)`` at four dense weights (all queries, an upper bound)."""
    index = MatchIndex.load(cached_index(task, cache))
    positions = np.flatnonzero(index.lexical.alive)
    starts = np.array([index.vectors.doc_slots[int(p)][0] for p in positions])
    docs = np.asarray(index.vectors.vectors[starts], dtype=np.float64)
    q_path = cache / f"{task}-qvec.npy"
    if not q_path.exists():
        queries = read_jsonl(BENCH / TASKS[task] / "queries.jsonl")
        np.save(q_path, index.embed_queries([normalize(q["text"]) for q in queries]))
    q_vectors = np.load(q_path).astype(np.float64)
    t = Task(task, cache, bench_eval)
    views = list(t.qrels)
    everyone = range(len(t.qids))
    names = ("bm25_z", "cosine_z", "log_evidence")
    print(f"dense post-processing on {task}: nDCG@10 per view ({', '.join(views)})")
    print("| vectors | dense alone | + fusion w=0.1 | w=0.2 | w=0.3 | w=0.5 |")
    print("|---|---|---|---|---|---|")
    for variant in ["raw", *variants]:
        if variant == "raw":
            d, q = docs, q_vectors
        else:
            alpha, _, dims = variant.partition("/")
            d, q = _whitened(docs, q_vectors, float(alpha), int(dims or docs.shape[1]))
        t.set_dense((q @ d.T).astype(np.float32))
        cells = [t.score(t.run(lambda qi: t.dense[qi][t.cands[qi]].astype(np.float64), everyone))]
        feats = [t.features(qi, names) for qi in everyone]
        for w in (0.1, 0.2, 0.3, 0.5):
            cells.append(t.score(t.run(lambda qi, w=(1.0, w, 0.025), f=feats: f[qi] @ w, everyone)))
        row = " | ".join(" / ".join(f"{c[v]:.4f}" for v in views) for c in cells)
        print(f"| {variant} | {row} |", flush=True)


RULES: dict[str, tuple[str, ...]] = {
    "lin: bm25max+cos": ("bm25_max", "cosine"),
    "lin: z(bm25)+z(cos)": ("bm25_z", "cosine_z"),
    "lin: bm25max+cos+z": ("bm25_max", "cosine", "bm25_z", "cosine_z"),
    "lin: z + evidence": ("bm25_z", "cosine_z", "log_evidence"),
    "lin: max+z + evidence": ("bm25_max", "cosine", "bm25_z", "cosine_z", "log_evidence"),
    "lin: bm25 only + evidence": ("bm25_z", "log_evidence"),
    "lin: z + prf": ("bm25_z", "cosine_z", "prf_z"),
    "lin: z + prf + evidence": ("bm25_z", "cosine_z", "prf_z", "log_evidence"),
    "lin: all": ("bm25_max", "cosine", "bm25_z", "cosine_z", "prf_z", "log_evidence"),
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("step", choices=["dump", "sweep", "grid", "lsa", "whiten"])
    ap.add_argument("--task", action="append", choices=["a", "b"], default=[])
    ap.add_argument("--train", choices=["a", "b"])
    ap.add_argument("--test", choices=["a", "b"])
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--rules", default=",".join(RULES), help="comma-separated names from RULES")
    ap.add_argument("--dims", type=int, default=200, help="lsa: dimensions")
    ap.add_argument(
        "--whiten",
        action="append",
        default=[],
        help="whiten: a variant alpha/dims (0.5/512 = full whitening, 0/512 = centring only); repeatable",
    )
    ap.add_argument("--objective", choices=["min", "mean"], default="min", help="grid: how views combine")
    ap.add_argument("--family", choices=list(GRIDS), default="z", help="grid: fusion family")
    ap.add_argument("--per-query", type=Path, help="grid: save the held-out per-query scores (npz)")
    ap.add_argument("--verbose", action="store_true", help="grid: print every grid point on all queries")
    ap.add_argument(
        "--write", action="store_true", help="grid: write the point chosen on all queries to fusion_weights.json"
    )
    ap.add_argument("--cache", type=Path, default=CACHE)
    a = ap.parse_args()
    if a.step == "dump":
        for task in a.task or ["a", "b"]:
            print(dump(task, a.cache))
        return
    bench_eval = load_eval()
    if a.step == "grid":
        grid(a, bench_eval)
        return
    if a.step == "lsa":
        for task in a.task or ["a", "b"]:
            lsa_check(task, a.cache, bench_eval, a.dims)
        return
    if a.step == "whiten":
        for task in a.task or ["a", "b"]:
            whiten_check(task, a.cache, bench_eval, a.whiten or ["0/512", "0.5/512", "0.5/256", "0.25/512"])
        return
    if a.train:
        train, test = Task(a.train, a.cache, bench_eval), Task(a.test or a.train, a.cache, bench_eval)
        pairs = None
    else:
        [name] = a.task or ["a"]
        train = test = Task(name, a.cache, bench_eval)
        pairs = folds_of(len(test.qids), a.folds)
    views = list(test.qrels)
    print(f"train {train.name} → test {test.name}" + (f", {a.folds}-fold held out" if pairs else ""))
    print("| rule | " + " | ".join(views) + " | weights |")
    print("|---|" + "---|" * (len(views) + 1))

    def show(label: str, run: dict[str, list[str]], note: str = "") -> None:
        s = test.score(run)
        print(f"| {label} | " + " | ".join(f"{s[v]:.4f}" for v in views) + f" | {note} |", flush=True)

    everyone = range(len(test.qids))
    show("bm25", test.run(lambda qi: test.lex[qi][test.cands[qi]].astype(np.float64), everyone))
    show("dense", test.run(lambda qi: test.dense[qi][test.cands[qi]].astype(np.float64), everyone))
    for alpha in (0.3, 0.4):
        show(
            f"maxnorm {1 - alpha:.1f}/{alpha:.1f}",
            test.run(lambda qi, a_=alpha: test.features(qi, ("bm25_max", "cosine")) @ [1 - a_, a_], everyone),
        )
    for rule in a.rules.split(","):
        names = RULES[rule]
        if pairs is None:
            w = fit_logistic([train.features(qi, names) for qi in range(len(train.qids))], train.labels, a.l2)
            show(rule, test.run(lambda qi, w_=w, n=names: test.features(qi, n) @ w_[:-1], everyone), _fmt(w))
            continue
        run: dict[str, list[str]] = {}
        notes = []
        for held in pairs:
            fit_on = np.setdiff1d(np.arange(len(train.qids)), held)
            w = fit_logistic([train.features(qi, names) for qi in fit_on], [train.labels[qi] for qi in fit_on], a.l2)
            notes.append(_fmt(w))
            run.update(test.run(lambda qi, w_=w, n=names: test.features(qi, n) @ w_[:-1], held))
        show(rule, run, notes[0])


GRIDS: dict[str, tuple[tuple[str, ...], tuple[float, ...], tuple[float, ...]]] = {
    # family: (features [lexical, dense, evidence], dense weights, evidence weights); lexical weight 1
    "z": (
        ("bm25_z", "cosine_z", "log_evidence"),
        (0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.7),
        (0, 0.025, 0.05, 0.075, 0.1, 0.15),
    ),
    "max": (("bm25_max", "cosine", "log_evidence"), (0, 0.2, 0.4, 0.5, 0.67, 0.8, 1.0), (0, 0.01, 0.02, 0.03, 0.05)),
}


def grid(a: argparse.Namespace, bench_eval) -> None:  # type: ignore[no-untyped-def]
    """Choose (dense weight, evidence weight) of one fusion family by cross-validation.

    The objective is nDCG@10 relative to BM25 alone, over every qrels view of every task:
    their mean (``--objective mean``) or their minimum (``min``: the worst view decides, so no
    view is sacrificed for another). For each fold the grid point best on
    the other folds (of every task) ranks the fold; the held-out per-query scores are then
    averaged per view. The last line is the point chosen on all queries: what would ship.
    """
    tasks = [Task(t, a.cache, bench_eval) for t in a.task or ["a", "b"]]
    names, dense_ws, evidence_ws = GRIDS[a.family]
    points = [(wd, we) for wd in dense_ws for we in evidence_ws]
    # per task, per view: (points × queries) matrix of nDCG@10, and BM25's per-query vector
    table: dict[tuple[str, str], np.ndarray] = {}
    base: dict[tuple[str, str], np.ndarray] = {}
    for t in tasks:
        everyone = range(len(t.qids))
        feats = [t.features(qi, names) for qi in everyone]
        bm25 = t.run(lambda qi, t=t: t.lex[qi][t.cands[qi]].astype(np.float64), everyone)
        for view, scores in t.per_query(bm25).items():
            base[(t.name, view)] = scores
        rows: dict[str, list[np.ndarray]] = {}
        for wd, we in points:
            got = t.per_query(t.run(lambda qi, w=(1.0, wd, we), f=feats: f[qi] @ w, everyone))
            for view, scores in got.items():
                rows.setdefault(view, []).append(scores)
        for view, stacked in rows.items():
            table[(t.name, view)] = np.stack(stacked)
    folds = {t.name: folds_of(len(t.qids), a.folds) for t in tasks}

    def objective(keep: dict[str, np.ndarray]) -> np.ndarray:
        ratios = []
        for (task, view), m in table.items():
            sel = keep[task]
            ratios.append(np.nanmean(m[:, sel], axis=1) / np.nanmean(base[(task, view)][sel]))
        return np.min(ratios, axis=0) if a.objective == "min" else np.mean(ratios, axis=0)

    held = {key: np.full(m.shape[1], np.nan) for key, m in table.items()}
    chosen = []
    for k in range(a.folds):
        train = {t.name: np.setdiff1d(np.arange(len(t.qids)), folds[t.name][k]) for t in tasks}
        best = int(np.argmax(objective(train)))
        chosen.append(points[best])
        for (task, view), m in table.items():
            test = folds[task][k]
            held[(task, view)][test] = m[best, test]
    print(f"family {a.family} {names}, lexical weight 1; {a.folds}-fold choices (dense, evidence): {chosen}")
    print("| view | BM25 | held-out | Δ | better / worse / tied | paired p |")
    print("|---|---|---|---|---|---|")
    for key in table:
        b, h = np.nanmean(base[key]), np.nanmean(held[key])
        diffs = (held[key] - base[key])[~np.isnan(base[key])]
        counts = f"{(diffs > 0).sum()} / {(diffs < 0).sum()} / {(diffs == 0).sum()}"
        print(
            f"| {key[0]} {key[1]} | {b:.4f} | {h:.4f} | {100 * (h / b - 1):+.1f}% | {counts} | {paired_p(diffs):.3f} |"
        )
    everyone = {t.name: np.arange(len(t.qids)) for t in tasks}
    scores = objective(everyone)
    best = int(np.argmax(scores))
    print(f"chosen on all queries: dense {points[best][0]}, evidence {points[best][1]} (objective {scores[best]:.4f})")
    if a.write:
        shipped = {
            "features": list(names),
            "weights": [1.0, *points[best]],
            "chosen_by": f"benchmarks/matching_learn.py grid {' '.join('--task ' + t.name for t in tasks)} "
            f"--family {a.family} --objective {a.objective} --write",
            "objective_on_all_queries": round(float(scores[best]), 4),
        }
        WEIGHTS.write_text(json.dumps(shipped, indent=2) + "\n", encoding="utf-8")
        print(f"written to {WEIGHTS}")
    if a.per_query:
        np.savez(a.per_query, **{f"{k[0]}|{k[1]}": v for k, v in held.items()})
    if a.verbose:
        for i, p in enumerate(points):
            print(p, " ".join(f"{np.nanmean(m[i]):.4f}" for m in table.values()), f"{scores[i]:.4f}")


def paired_p(diffs: np.ndarray, rounds: int = 10_000) -> float:
    """Two-sided paired randomisation test of a mean difference (random sign flips, fixed seed)."""
    signs = np.random.default_rng(0).choice([-1.0, 1.0], size=(rounds, len(diffs)))
    return float((np.abs(signs @ diffs) >= abs(diffs.sum()) - 1e-12).mean())


def _fmt(w: np.ndarray) -> str:
    return " ".join(f"{v:+.3f}" for v in w[:-1])


if __name__ == "__main__":
    main()
