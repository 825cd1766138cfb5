"""Small graphs for rule tests, evaluated through the offline runner (the path `streamplane plan` takes)."""

from __future__ import annotations

import copy

from streamplane.policy_offline import evaluate_policies

STACK = "test"


def urn(type_: str, name: str) -> str:
    return f"urn:pulumi:{STACK}::streamplane::{type_}::{name}"


def resource(type_: str, name: str, inputs: dict, *, protect: bool = False, parent: str | None = None,
             dependencies: tuple[str, ...] = (), provider: str | None = None) -> dict:
    return {"urn": urn(type_, name), "type": type_, "name": name, "parent": parent, "custom": True,
            "provider": provider, "inputs": copy.deepcopy(inputs), "dependencies": list(dependencies),
            "protect": protect, "retainOnDelete": False, "deleteBeforeReplace": False}


def graph(*resources: dict) -> dict:
    return {"project": "streamplane", "stack": STACK, "resources": list(resources)}


def violations(policy, graph_: dict, config: dict | None = None):
    return evaluate_policies(graph_, STACK, policies=[policy.POLICY], pack_config=config or {})


def messages(policy, graph_: dict, config: dict | None = None) -> list[str]:
    """The messages `policy` (a rule module) reports on `graph_`."""
    return [v.message for v in violations(policy, graph_, config)]


def find(graph_: dict, type_suffix: str) -> dict:
    """The one resource whose type ends with `type_suffix` (e.g. ":BucketVersioning")."""
    (found,) = [r for r in graph_["resources"] if r["type"].endswith(type_suffix)]
    return found
