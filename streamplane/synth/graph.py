"""The synth graph (design contract): every resource the program registers, as deterministic JSON."""

from __future__ import annotations

import json
import re

from .capture import Registration

PROVIDER_PREFIX = "pulumi:providers:"


_SEMVER = re.compile(r"(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+([0-9A-Za-z.-]+))?")


def default_provider_urn(stack: str, project: str, package: str, version: str) -> str:
    """The engine's default provider for a package: `pulumi:providers:<pkg>::default_<major>_<minor>_<patch>`,
    then `_<part>` per dot-separated prerelease and build part (pulumi/pulumi
    pkg/resource/deploy/providers/provider.go, DefaultName: `3.0.0-beta.1` -> `default_3_0_0_beta_1`)."""
    match = _SEMVER.fullmatch(version or "")
    suffix = ""
    if match:
        major, minor, patch, pre, build = match.groups()
        suffix = "".join(f"_{part}" for part in (major, minor, patch, *(pre or "").split("."), *(build or "").split("."))
                         if part)
    elif version:
        suffix = f"_{version.replace('.', '_')}"
    return f"urn:pulumi:{stack}::{project}::{PROVIDER_PREFIX}{package}::default{suffix}"


def _package(type_token: str) -> str:
    return type_token.split(":", 1)[0]


def _resource(reg: Registration, provider: str) -> dict:
    entry = {
        "urn": reg.urn,
        "type": reg.type,
        "name": reg.name,
        "parent": reg.parent,
        "custom": reg.custom,
        "provider": provider or None,
        "inputs": reg.inputs,
        "dependencies": reg.dependencies,
        "protect": reg.protect,
        "retainOnDelete": reg.retain_on_delete,
        "deleteBeforeReplace": reg.delete_before_replace,
    }
    if reg.aliases:
        entry["aliases"] = reg.aliases
    return entry


def build_graph(registrations: list[Registration], project: str, stack: str, config: dict[str, str],
                outputs: dict | None = None) -> dict:
    """Registrations -> graph. Custom resources without an explicit provider get the engine's default
    provider (added as a resource, its inputs the package's config and version), as in a real state.
    `outputs`: the stack's exported outputs (`pulumi.export`), kept under "outputs" when there are any,
    so a StackReference to this stack resolves offline."""
    resources: dict[str, dict] = {}
    for reg in registrations:
        provider = reg.provider
        if reg.custom and not provider and not reg.type.startswith(PROVIDER_PREFIX):
            package = _package(reg.type)
            provider = default_provider_urn(stack, project, package, reg.version)
            if provider not in resources:
                inputs = {key.split(":", 1)[1]: value for key, value in sorted(config.items()) if key.startswith(f"{package}:")}
                if reg.version:
                    inputs["version"] = reg.version
                resources[provider] = {
                    "urn": provider, "type": f"{PROVIDER_PREFIX}{package}", "name": provider.rsplit("::", 1)[1],
                    "parent": None, "custom": True, "provider": None, "inputs": inputs, "dependencies": [],
                    "protect": False, "retainOnDelete": False, "deleteBeforeReplace": False,
                }
        entry = _resource(reg, provider)
        if reg.type.startswith(PROVIDER_PREFIX) and reg.version and "version" not in entry["inputs"]:
            # The engine records an explicit provider's plugin version among its inputs
            # (pkg/resource/deploy/source_eval.go, providers.SetProviderVersion).
            entry["inputs"] = {**entry["inputs"], "version": reg.version}
        resources[reg.urn] = entry
    graph: dict = {"project": project, "stack": stack, "resources": [resources[urn] for urn in sorted(resources)]}
    if outputs:
        graph["outputs"] = outputs
    return graph


def dumps(graph: dict) -> str:
    """Canonical text of a graph: sorted keys, two-space indent, trailing newline (byte-stable)."""
    return json.dumps(graph, indent=2, sort_keys=True) + "\n"

