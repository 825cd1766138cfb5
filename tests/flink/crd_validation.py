"""Validate emitted custom resources against the upstream FlinkDeployment CRD (operator 1.15.0)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jsonschema
import yaml

CRD_DIR = Path(__file__).resolve().parents[3] / "shared" / "reference" / "crds"
FLINK_DEPLOYMENT_CRD = CRD_DIR / "flinkdeployments.flink.apache.org-v1.yml"


def _to_draft4(node):
    """CRD structural schema -> plain JSON Schema: int-or-string becomes a type union; x-kubernetes-*
    and format keys are dropped (they are Kubernetes extensions, not validation rules we can run)."""
    if isinstance(node, list):
        return [_to_draft4(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key.startswith("x-kubernetes-") or key == "format":
            continue
        out[key] = _to_draft4(value)
    if node.get("x-kubernetes-int-or-string"):
        out["type"] = ["integer", "string"]
    return out


@lru_cache(maxsize=None)
def crd_validator(path: Path = FLINK_DEPLOYMENT_CRD) -> jsonschema.Draft4Validator:
    crd = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    version = next(v for v in crd["spec"]["versions"] if v.get("served"))
    return jsonschema.Draft4Validator(_to_draft4(version["schema"]["openAPIV3Schema"]))


def crd_errors(resource: dict, path: Path = FLINK_DEPLOYMENT_CRD) -> list[str]:
    """Every CRD violation of a custom resource's apiVersion/kind/metadata/spec, as readable strings."""
    body = {k: resource[k] for k in ("apiVersion", "kind", "metadata", "spec") if k in resource}
    return [f"/{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in crd_validator(path).iter_errors(body)]
