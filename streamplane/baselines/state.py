"""`--state EXPORT.json`: a `pulumi stack export` (deployment v3) or a file-backend checkpoint, as a graph.

Resources are matched to the head by URN and their recorded inputs compared. Inputs the provider
filled in itself (listed in `__defaults`, e.g. an auto-generated bucket name) are dropped: the
program never declared them, so they are not a change. Secrets become "<secret>" (their ciphertext
is never shown); provider references `URN::ID` keep the URN.
"""

from __future__ import annotations

from pathlib import Path

from .. import PROJECT
from ..paths import display_path
from ..synth.capture import STACK_TYPE, provider_urn, split_urn
from ..synth.wire import ARCHIVE_SIG, ASSET_SIG, SECRET, SECRET_SIG, SIGNATURE_KEY, normalize
from . import Baseline, BaselineError
from .export_shape import SUPPORTED_VERSIONS, check_same_stack, read_export


def clean_inputs(value, drop_defaults: bool = True):
    """State inputs -> plan inputs: no `__defaults`/`__internal` bookkeeping, secrets masked.
    `drop_defaults`: also drop the values the provider filled in (they are not in a synth graph)."""
    if isinstance(value, dict):
        sig = value.get(SIGNATURE_KEY)
        if sig == SECRET_SIG:
            return SECRET
        if sig in (ASSET_SIG, ARCHIVE_SIG):
            what = "asset" if sig == ASSET_SIG else "archive"
            ident = value.get("path") or value.get("uri") or str(value.get("hash", ""))[:12]
            return f"<{what} {ident}>" if ident else f"<{what}>"
        if sig:
            return normalize(value)
        listed = value.get("__defaults") if drop_defaults else None  # engine bookkeeping: property names
        defaults = {d for d in listed if isinstance(d, str)} if isinstance(listed, list) else set()
        return {k: clean_inputs(v, drop_defaults) for k, v in value.items() if not k.startswith("__") and k not in defaults}
    if isinstance(value, list):
        return [clean_inputs(v, drop_defaults) for v in value]
    return normalize(value)


def _resource(entry: dict) -> dict:
    urn = entry["urn"]
    resource = {
        "urn": urn,
        "type": entry["type"],
        "name": urn.rsplit("::", 1)[-1],
        "parent": entry.get("parent") or None,
        "custom": bool(entry.get("custom")),
        "provider": provider_urn(entry.get("provider") or "") or None,
        "inputs": clean_inputs(entry.get("inputs") or {}),
        "dependencies": sorted(entry.get("dependencies") or []),
        "protect": bool(entry.get("protect")),
        # ResourceV3 writes retainOnDelete only when true (omitempty): absent is false. It has no
        # deleteBeforeReplace field (pulumi/pulumi sdk/go/common/apitype/core.go): unknown, no change.
        "retainOnDelete": bool(entry.get("retainOnDelete")),
        "deleteBeforeReplace": entry.get("deleteBeforeReplace"),
    }
    if entry.get("aliases"):
        resource["aliases"] = sorted(a for a in entry["aliases"] if isinstance(a, str))
    return resource


def graph_from_deployment(document: dict) -> dict:
    """A graph from an export `{"version": 3, "deployment": {...}}` or checkpoint `{"checkpoint": {"latest": ...}}`."""
    version = document.get("version")
    if version not in SUPPORTED_VERSIONS:
        raise BaselineError(f"unsupported state version {version!r}: expected a `pulumi stack export` with version 3.")
    if "deployment" in document:
        deployment = document["deployment"] or {}
        stack = None
    elif "checkpoint" in document:
        deployment = (document["checkpoint"] or {}).get("latest") or {}
        stack = (document["checkpoint"] or {}).get("stack")
    else:
        raise BaselineError('not a Pulumi state: expected a "deployment" (stack export) or "checkpoint" key.')
    entries = [r for r in deployment.get("resources") or [] if not r.get("delete") and r.get("type") != STACK_TYPE]
    resources = [_resource(r) for r in entries]
    project = stack_name = None
    if resources:
        stack_name, project, _, _ = split_urn(resources[0]["urn"])
    return {"project": project, "stack": stack_name or stack, "resources": sorted(resources, key=lambda r: r["urn"])}


def from_state_export(path: Path, stack: str, project: str = PROJECT) -> Baseline:
    """The export at `path` as a baseline for `stack` of `project`: checked for shape, then for
    belonging to that stack, before any resource is read."""
    label = display_path(path)
    document = read_export(path, label)
    check_same_stack(label, document, stack, project)
    graph = graph_from_deployment(document)
    return Baseline(f"state {label} ({len(graph['resources'])} resources)", graph)
