"""The seeds–needs matching engine: Japanese/English hybrid search with explanations.

Usage::

    from renkei.matching.engine import Document, MatchIndex

    index = MatchIndex.build([Document(id="s1", lang="ja", title="…", text="…"), …])
    index.save(data_dir / "indexes" / "seeds")
    index = MatchIndex.load(data_dir / "indexes" / "seeds")
    index.add([changed_doc]); index.remove(["s7"])            # incremental
    for match in index.search("燃料電池の電極", top=10, allow=visible_ids):
        match.id, match.score, match.explanation.terms, match.explanation.passage.marked()

See docs/matching.md for the design and docs/benchmarks.md for the measurements.
"""

from __future__ import annotations

from .dense import Embedder
from .explain import Explanation, Passage, SharedTerm
from .index import Document, EngineConfig, Match, MatchIndex, MatchIndexError
from .store import default_index_dir, index_dir

__all__ = [
    "Document",
    "Embedder",
    "EngineConfig",
    "Explanation",
    "MatchIndexError",
    "Match",
    "MatchIndex",
    "Passage",
    "SharedTerm",
    "default_index_dir",
    "index_dir",
]
