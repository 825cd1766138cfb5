"""Validate custom resources against the real upstream CRDs in tests/reference/crds, as the API server would.

One validator per served (apiVersion, kind), built from the CRD's openAPIV3Schema with Draft 4 (what
Kubernetes structural schemas are): `x-kubernetes-int-or-string: true` becomes integer|string, other
`x-kubernetes-*` keys and `format` are dropped (extensions, not rules jsonschema can run).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jsonschema
import yaml

from tests.conftest import REFERENCE

CRDS = REFERENCE / "crds"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _structural(node):
    if isinstance(node, list):
        return [_structural(item) for item in node]
    if not isinstance(node, dict):
        return node
    int_or_string = node.get("x-kubernetes-int-or-string") is True
    out = {key: _structural(value) for key, value in node.items()
           if not key.startswith("x-kubernetes-") and key != "format"}
    if int_or_string:
        out["type"] = ["integer", "string"]
        out.pop("anyOf", None)
    return out


@cache
def _served() -> dict[tuple[str, str], dict]:
    """(apiVersion, kind) -> openAPIV3Schema of every served version of every shipped CRD."""
    index = {}
    for path in sorted(CRDS.glob("*.y*ml")):
        crd = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
        if not isinstance(crd, dict) or crd.get("kind") != "CustomResourceDefinition":
            continue
        group, kind = crd["spec"]["group"], crd["spec"]["names"]["kind"]
        for version in crd["spec"]["versions"]:
            if version.get("served"):
                index[(f"{group}/{version['name']}", kind)] = version["schema"]["openAPIV3Schema"]
    if not index:
        raise AssertionError(f"no CRDs found under {CRDS}: tests/reference/crds is part of the repository")
    return index


@cache
def validator(api_version: str, kind: str) -> jsonschema.Draft4Validator:
    served = _served()
    if (api_version, kind) not in served:
        versions = sorted(v for v, k in served if k == kind)
        raise AssertionError(f"{kind} {api_version} is not served by the shipped CRDs (served: {versions or 'none'})")
    return jsonschema.Draft4Validator(_structural(served[(api_version, kind)]))


def crd_errors(resource: dict) -> list[str]:
    """Every violation of a custom resource (apiVersion, kind, metadata, spec) against its CRD, as
    `/path: message`; empty when valid."""
    body = {k: resource[k] for k in ("apiVersion", "kind", "metadata", "spec") if k in resource}
    errors = validator(resource["apiVersion"], resource["kind"]).iter_errors(body)
    return [f"/{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors]


def example(path: str) -> Path:
    """A file of tests/reference (e.g. "druid/druidingestion-kafka.yaml")."""
    return REFERENCE / path
