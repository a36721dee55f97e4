"""Who can introduce me? The shortest trusted paths from an organisation (a need's owner) to a
suggested partner, through the people and organisations that already know each other.

Trust is a weight in (0, 1] per tie type (`TRUST`, documented in docs/network.md): strong for
ties where people actually work together (an affiliation, an HQ position, an introduction that
led to a meeting), middling for a coordinator's contacts, weak for shared cluster membership.
Tie types without a trust weight are not followed. A hop costs 1 / trust, so two strong hops
(cost 2) beat one hop through a mere membership (cost 4).

`TrustedGraph.for_user` does, in order:

1. Take the platform's national network (from the cache, renkei.network.cache).
2. Keep the ties of trusted types; keep a CRM tie (coordination, introductions, joint
   interactions) only when it comes from a cluster whose CRM records the user reads
   (brokerage.access: the cluster's coordinators and HQ staff, national officers) — participants
   never see a CRM-derived tie.
3. Keep only nodes the user may see (directory.access; cluster stand-ins are public), dropping
   every tie that touches a hidden one, so no path ever passes through a hidden record.
4. Merge parallel ties into one edge per pair carrying the strongest trust among them.

`paths(source, target)` then returns the `top` cheapest paths of at most `max_hops` hops:
it keeps the nodes within `max_hops` hops of both ends (hop distance from the source plus hop
distance to the target at most `max_hops`), runs Yen's k-shortest-paths (igraph) on that
subgraph for 4 × `top` candidates by cost, and keeps the first `top` within the hop limit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import igraph as ig
import numpy as np
from django.http import Http404

from renkei.accounts.scope import scope_for
from renkei.brokerage.access import clusters_seen
from renkei.directory.access import visible_organisations, visible_people
from renkei.network.builder import CRM_TIE_TYPES, org_id, person_id
from renkei.network.cache import cache_key, cached, cached_platform_network, data_version
from renkei.network.explorer import TIE_TYPE_LABELS, record_url, visible_node_mask
from renkei.network.graph import Network

# Trust per tie type. Types missing here (or with a future source not yet rated) are not
# followed. joint_project and event_meeting are rated for the edge sources still to come.
TRUST: dict[str, float] = {
    "affiliation": 1.0,
    "hq_position": 1.0,
    "introduction_met": 1.0,
    "joint_project": 1.0,
    "event_meeting": 1.0,
    "coordination": 0.8,
    "joint_interaction": 0.8,
    "introduction": 0.4,
    "membership": 0.25,
}
DEFAULT_MAX_HOPS = 4
MAX_HOPS_LIMIT = 6
DEFAULT_TOP = 3
TOP_LIMIT = 10
CANDIDATES_PER_PATH = 4


@dataclass(frozen=True)
class PathStep:
    """One node of a path, with the tie that leads to it from the step before (None first)."""

    id: str
    label: str
    kind: str  # organisation, person, coordinator or cluster
    url: str
    tie: str | None = None
    trust: float | None = None

    @property
    def tie_label(self) -> str:
        return str(TIE_TYPE_LABELS.get(self.tie, self.tie)) if self.tie else ""


@dataclass
class IntroductionPath:
    steps: list[PathStep] = field(default_factory=list)
    cost: float = 0.0

    @property
    def hops(self) -> int:
        return len(self.steps) - 1

    @property
    def intermediaries(self) -> list[PathStep]:
        """The people and organisations between the two ends: who to ask."""
        return self.steps[1:-1]

    def as_json(self) -> dict:
        return {
            "hops": self.hops,
            "cost": round(self.cost, 4),
            "steps": [
                {
                    "id": s.id,
                    "kind": s.kind,
                    "label": s.label,
                    "url": s.url,
                    "tie": s.tie,
                    "tie_label": s.tie_label,
                    "trust": s.trust,
                }
                for s in self.steps
            ],
        }


class TrustedGraph:
    """The trusted ties one user may see (steps 1–4 of the module docstring), ready for queries."""

    def __init__(self, network: Network, node_mask: np.ndarray, tie_mask: np.ndarray) -> None:
        self.network = network
        self.index = {node: i for i, node in enumerate(network.ids)}
        self.visible = node_mask
        trust_of_type = np.array([TRUST.get(name, 0.0) for name in network.types] or [0.0])
        trust = trust_of_type[network.type_code] if network.tie_count else np.empty(0)
        keep = tie_mask & (trust > 0) & node_mask[network.source] & node_mask[network.target]
        keep &= network.source != network.target
        u = np.minimum(network.source, network.target)[keep]
        v = np.maximum(network.source, network.target)[keep]
        trust, type_code = trust[keep], network.type_code[keep]
        # Step 4: one edge per pair, the strongest tie's trust and type (sort by pair, then trust).
        order = np.lexsort((-trust, v, u))
        u, v, trust, type_code = u[order], v[order], trust[order], type_code[order]
        first = np.ones(u.shape[0], dtype=bool)
        first[1:] = (u[1:] != u[:-1]) | (v[1:] != v[:-1])
        self.trust = trust[first]
        self.tie_type = type_code[first]
        self.graph = ig.Graph(n=network.node_count, edges=np.column_stack((u[first], v[first])), directed=False)
        self.graph.es["eid"] = list(range(self.graph.ecount()))
        self._hops: tuple[int, np.ndarray] | None = None
        self.cost = (1.0 / self.trust).tolist()

    @classmethod
    def for_user(cls, user, network: Network | None = None) -> TrustedGraph:
        """Steps 1–4 for `user`; the result is cached per data version and reader scope."""
        version = data_version()
        if network is None:
            network = cached_platform_network(None, version=version)
        scope = scope_for(user)
        signature = (
            scope.authenticated,
            scope.reads_all,
            tuple(sorted(scope.staff_cluster_ids)),
            tuple(sorted(scope.own_organisation_ids)),
            scope.own_person_id,
        )
        key = cache_key("trusted", version, network.node_count, network.tie_count, signature)
        return cached(key, lambda: cls(network, visible_node_mask(user, network), visible_tie_mask(user, network)))

    def node_index(self, node_id: str) -> int | None:
        index = self.index.get(node_id)
        return index if index is not None and self.visible[index] else None

    def paths(
        self, source: str, target: str, *, max_hops: int = DEFAULT_MAX_HOPS, top: int = DEFAULT_TOP
    ) -> list[IntroductionPath]:
        """The `top` cheapest trusted paths of at most `max_hops` hops, cheapest first; none when
        either end is unknown or hidden, or when they are the same node."""
        s, t = self.node_index(source), self.node_index(target)
        if s is None or t is None or s == t:
            return []
        from_source = self._hops_from(s)  # the same start for every suggestion of a page
        to_target = np.asarray(self.graph.distances(source=[t])[0])
        near = np.flatnonzero(from_source + to_target <= max_hops)
        if near.shape[0] < 2:
            return []
        keep = near.tolist()
        local = {node: i for i, node in enumerate(keep)}
        subgraph = self.graph.induced_subgraph(keep)
        edge_ids = subgraph.es["eid"]  # the edges' ids in the whole graph
        costs = [self.cost[e] for e in edge_ids]
        candidates = subgraph.get_k_shortest_paths(
            local[s], local[t], k=top * CANDIDATES_PER_PATH, weights=costs, mode="all", output="epath"
        )
        found: list[IntroductionPath] = []
        for epath in candidates:
            if not epath or len(epath) > max_hops:
                continue
            found.append(self._path(s, [edge_ids[e] for e in epath]))
            if len(found) == top:
                break
        return found

    def _hops_from(self, node: int) -> np.ndarray:
        if self._hops is None or self._hops[0] != node:
            self._hops = (node, np.asarray(self.graph.distances(source=[node])[0]))
        return self._hops[1]

    def _path(self, start: int, edges: list[int]) -> IntroductionPath:
        network = self.network
        steps = [self._step(start)]
        node, cost = start, 0.0
        for e in edges:
            a, b = self.graph.es[e].tuple
            node = b if a == node else a
            trust = float(self.trust[e])
            cost += 1.0 / trust
            steps.append(self._step(node, network.types[int(self.tie_type[e])], trust))
        return IntroductionPath(steps, cost)

    def _step(self, node: int, tie: str | None = None, trust: float | None = None) -> PathStep:
        network = self.network
        node_id = network.ids[node]
        label = network.labels[node] if network.labels else node_id
        kind = network.kinds[node] if network.kinds else ""
        return PathStep(node_id, label, kind, record_url(node_id), tie, trust)


def visible_tie_mask(user, network: Network) -> np.ndarray:
    """Every tie, except CRM ties of clusters whose CRM records the user may not read."""
    crm_types = [i for i, name in enumerate(network.types) if name in CRM_TIE_TYPES]
    is_crm = np.isin(network.type_code, crm_types)
    if scope_for(user).reads_all:
        return np.ones(network.tie_count, dtype=bool)
    readable = list(clusters_seen(user).values_list("pk", flat=True)) if scope_for(user).is_staff_role else []
    return ~is_crm | np.isin(network.cluster, readable)


# --- what pages and the API call ----------------------------------------------------------------


def can_see_paths(user) -> bool:
    """Signed-in users see paths (participants without CRM ties); visitors none."""
    return bool(user is not None and user.is_authenticated)


def node_of(kind: str, pk: int) -> str:
    return org_id(pk) if kind == "organisation" else person_id(pk)


def access_endpoint(user, kind: str, pk: int) -> str:
    """The node id of an organisation or person the user may see; 404 otherwise."""
    rows = visible_organisations(user) if kind == "organisation" else visible_people(user)
    if not rows.filter(pk=pk).exists():
        raise Http404(f"No such {kind}")
    return node_of(kind, pk)


def find_paths(
    user,
    source: tuple[str, int],
    target: tuple[str, int],
    *,
    max_hops: int = DEFAULT_MAX_HOPS,
    top: int = DEFAULT_TOP,
) -> list[IntroductionPath]:
    """Paths from `source` to `target` (each ("organisation" | "person", pk)) as `user` may see
    them; Http404 when either end is not visible to the user."""
    start = access_endpoint(user, *source)
    end = access_endpoint(user, *target)
    if not can_see_paths(user):
        return []
    return TrustedGraph.for_user(user).paths(start, end, max_hops=max_hops, top=top)
