"""The collaboration network as plain arrays: nodes with their attributes, ties with weight, type and dates.

A `Network` is what both the platform builder (`renkei.network.builder`) and the CSV reader
(`renkei.network.edgelist`) produce and what `renkei.network.metrics` measures. Ties are kept as
they were recorded (parallel ties and self-loops included); the metrics decide how to merge them,
so the by-fiscal-year figures can filter the dated ties first.

Categorical node attributes (sector, region, field, country) are stored as integer codes per node
with -1 for "not known", so the metrics compare them with numpy instead of a loop over ties.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

NODE_ATTRIBUTES = ("sector", "region", "field", "country")
UNKNOWN = -1
NO_YEAR = 0  # an undated tie; fiscal years are 1950+ (renkei.core.validators)
NO_CLUSTER = 0  # a tie not recorded in a cluster (primary keys start at 1)


@dataclass
class Category:
    """The codes of one categorical attribute: `values[code]` is the label, `codes[node]` the code."""

    values: list[str] = field(default_factory=list)
    codes: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int32))

    def label(self, node: int) -> str | None:
        code = int(self.codes[node])
        return None if code == UNKNOWN else self.values[code]

    @property
    def known(self) -> bool:
        return bool(self.values) and bool((self.codes != UNKNOWN).any())


@dataclass
class Network:
    """Nodes (by external id) and the ties between them, as recorded.

    `ids[i]` names node i ("org:12", "person:5", or whatever an edge list used); `labels[i]` is a
    readable name when one is known. Tie k joins `source[k]` and `target[k]` (undirected) with
    `weight[k]`, type `types[type_code[k]]`, and the fiscal years it started and ended
    (`NO_YEAR` when undated or still running). `cluster[k]` is the pk of the cluster whose record
    gives the tie (`NO_CLUSTER` when none), so a reader can drop the ties of records they may not
    see (the CRM's are cluster-internal)."""

    ids: list[str]
    source: np.ndarray
    target: np.ndarray
    weight: np.ndarray
    type_code: np.ndarray
    types: list[str]
    start_fy: np.ndarray
    end_fy: np.ndarray
    labels: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    attributes: dict[str, Category] = field(default_factory=dict)
    cluster: np.ndarray | None = None

    def __post_init__(self) -> None:
        if self.cluster is None:
            self.cluster = np.full(self.source.shape[0], NO_CLUSTER, dtype=np.int64)

    @property
    def node_count(self) -> int:
        return len(self.ids)

    @property
    def tie_count(self) -> int:
        return int(self.source.shape[0])

    def attribute(self, name: str) -> Category | None:
        category = self.attributes.get(name)
        return category if category is not None and category.known else None


class NetworkBuilder:
    """Collects nodes and ties one batch at a time and freezes them into a `Network`.

    Node ids are interned on first sight; `add_ties` takes parallel sequences, so an edge source
    hands over a whole query result at once."""

    def __init__(self) -> None:
        self._index: dict[str, int] = {}
        self.ids: list[str] = []
        self._chunks: list[tuple[np.ndarray, ...]] = []
        self._types: dict[str, int] = {}

    def node(self, node_id: str) -> int:
        index = self._index.get(node_id)
        if index is None:
            index = self._index[node_id] = len(self.ids)
            self.ids.append(node_id)
        return index

    def has_node(self, node_id: str) -> bool:
        return node_id in self._index

    def type_code(self, tie_type: str) -> int:
        return self._types.setdefault(tie_type, len(self._types))

    def add_ties(
        self,
        tie_type: str,
        sources: Iterable[str],
        targets: Iterable[str],
        *,
        weights: Iterable[float] | None = None,
        start_fy: Iterable[int | None] | None = None,
        end_fy: Iterable[int | None] | None = None,
        clusters: Iterable[int | None] | None = None,
    ) -> None:
        source = np.fromiter((self.node(s) for s in sources), dtype=np.int64)
        target = np.fromiter((self.node(t) for t in targets), dtype=np.int64)
        count = source.shape[0]
        if target.shape[0] != count:
            raise ValueError("sources and targets differ in length")
        self._chunks.append(
            (
                source,
                target,
                _floats(weights, count, default=1.0),
                np.full(count, self.type_code(tie_type), dtype=np.int32),
                _years(start_fy, count),
                _years(end_fy, count),
                _clusters(clusters, count),
            )
        )

    def add_arrays(
        self, source: np.ndarray, target: np.ndarray, weight: np.ndarray, type_code: np.ndarray, types: list[str]
    ) -> None:
        """Add ties already encoded as node indices (the CSV reader's fast path)."""
        for name in types:
            self.type_code(name)
        count = source.shape[0]
        self._chunks.append(
            (
                source.astype(np.int64, copy=False),
                target.astype(np.int64, copy=False),
                weight.astype(np.float64, copy=False),
                type_code.astype(np.int32, copy=False),
                np.full(count, NO_YEAR, dtype=np.int32),
                np.full(count, NO_YEAR, dtype=np.int32),
                np.full(count, NO_CLUSTER, dtype=np.int64),
            )
        )

    def build(self) -> Network:
        columns = list(zip(*self._chunks, strict=True)) if self._chunks else [()] * 7
        dtypes = (np.int64, np.int64, np.float64, np.int32, np.int32, np.int32, np.int64)
        arrays = [
            np.concatenate(parts) if parts else np.empty(0, dtype=dtype)
            for parts, dtype in zip(columns, dtypes, strict=True)
        ]
        return Network(
            ids=self.ids,
            source=arrays[0],
            target=arrays[1],
            weight=arrays[2],
            type_code=arrays[3],
            types=sorted(self._types, key=self._types.__getitem__),
            start_fy=arrays[4],
            end_fy=arrays[5],
            cluster=arrays[6],
        )


def category_from_labels(labels: list[str | None]) -> Category:
    """Encode one label per node (None = not known) as a Category."""
    values: dict[str, int] = {}
    codes = np.fromiter(
        (UNKNOWN if label is None else values.setdefault(label, len(values)) for label in labels),
        dtype=np.int32,
        count=len(labels),
    )
    return Category(values=sorted(values, key=values.__getitem__), codes=codes)


def _floats(values: Iterable[float] | None, count: int, default: float) -> np.ndarray:
    if values is None:
        return np.full(count, default, dtype=np.float64)
    return np.fromiter(values, dtype=np.float64, count=count)


def _years(values: Iterable[int | None] | None, count: int) -> np.ndarray:
    if values is None:
        return np.full(count, NO_YEAR, dtype=np.int32)
    return np.fromiter((NO_YEAR if v is None else v for v in values), dtype=np.int32, count=count)


def _clusters(values: Iterable[int | None] | None, count: int) -> np.ndarray:
    if values is None:
        return np.full(count, NO_CLUSTER, dtype=np.int64)
    return np.fromiter((NO_CLUSTER if v is None else v for v in values), dtype=np.int64, count=count)
