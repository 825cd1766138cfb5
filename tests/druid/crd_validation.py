"""Validate custom resources against the upstream CRDs in ../shared/reference/crds (as the API server would).

The CRD's served openAPIV3Schema is used with Draft 4 (what Kubernetes structural schemas are), with
`x-kubernetes-int-or-string: true` mapped to integer|string and other x-kubernetes-* keys dropped.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jsonschema
import yaml

REFERENCE = Path(__file__).resolve().parents[2].parent / "shared" / "reference"
CRDS = REFERENCE / "crds"
DRUID_EXAMPLES = REFERENCE / "druid"


def _structural(node):
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "x-kubernetes-int-or-string" and value:
                out["type"] = ["integer", "string"]
            elif key.startswith("x-kubernetes-") or key == "format":
                continue
            else:
                out[key] = _structural(value)
        return out
    if isinstance(node, list):
        return [_structural(v) for v in node]
    return node


@lru_cache(maxsize=None)
def crd_validator(file_name: str) -> jsonschema.Draft4Validator:
    crd = yaml.safe_load((CRDS / file_name).read_text(encoding="utf-8"))
    version = next(v for v in crd["spec"]["versions"] if v.get("served"))
    schema = _structural(version["schema"]["openAPIV3Schema"])
    return jsonschema.Draft4Validator(schema)


def crd_errors(resource: dict, file_name: str) -> list[str]:
    """Every violation of `resource` (apiVersion, kind, metadata, spec) against the CRD, as path: message."""
    body = {k: resource[k] for k in ("apiVersion", "kind", "metadata", "spec") if k in resource}
    return [f"/{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in crd_validator(file_name).iter_errors(body)]


DRUID_CRD = "druid.apache.org_druids.yaml"
INGESTION_CRD = "druid.apache.org_druidingestions.yaml"
