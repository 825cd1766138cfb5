"""The graphs of a partitioned synth (streamplane/partition.py) merged into the one graph of the stack.

Every partition builds the platform-scoped objects alike and the objects of its own owners; what two
partitions both register (the stack, providers, clusters, ACL bindings named from the binding) must
be the same resource. The merge keeps one of each URN, and a URN registered with different content
by two partitions is a bug in the partitioning (some value computed from the objects one process
happened to build), never something to pick a side on: an internal error.
"""

from __future__ import annotations


class MergeConflict(RuntimeError):
    """Two partitions registered one URN with different content: the partitioned graph is not the stack's."""


def merge_graphs(graphs: list[dict]) -> dict:
    """One graph with every resource of `graphs` once, sorted by URN as build_graph sorts them."""
    if not graphs:
        raise ValueError("no graphs to merge")
    first = graphs[0]
    resources: dict[str, dict] = {}
    outputs: dict = {}
    for graph in graphs:
        if (graph["project"], graph["stack"]) != (first["project"], first["stack"]):
            raise MergeConflict(f"partitions of different stacks: {first['stack']} and {graph['stack']}")
        for resource in graph["resources"]:
            urn = resource["urn"]
            seen = resources.setdefault(urn, resource)
            if seen is not resource and seen != resource:
                fields = sorted(k for k in set(seen) | set(resource) if seen.get(k) != resource.get(k))
                raise MergeConflict(f"two partitions registered {urn} differently ({', '.join(fields)})")
        for key, value in graph.get("outputs", {}).items():
            if outputs.setdefault(key, value) != value:
                raise MergeConflict(f"two partitions exported output {key!r} differently")
    merged: dict = {"project": first["project"], "stack": first["stack"],
                    "resources": [resources[urn] for urn in sorted(resources)]}
    if outputs:
        merged["outputs"] = outputs
    return merged


__all__ = ["MergeConflict", "merge_graphs"]
