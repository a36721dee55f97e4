from __future__ import annotations

from renkei.network.graph import Network, NetworkBuilder, category_from_labels


def network_of(pairs: list[tuple[str, str]], *, nodes: list[str] = (), tie_type: str = "tie", **attributes) -> Network:
    """A network from (source, target) pairs; `nodes` adds isolated ones; attributes map id -> label."""
    builder = NetworkBuilder()
    for node in nodes:
        builder.node(node)
    builder.add_ties(tie_type, [s for s, _ in pairs], [t for _, t in pairs])
    network = builder.build()
    network.attributes = {
        name: category_from_labels([values.get(node) for node in network.ids]) for name, values in attributes.items()
    }
    return network


def by_id(network: Network, values) -> dict[str, float]:
    return {node: float(values[i]) for i, node in enumerate(network.ids)}
