"""Validate custom resources against the real upstream CRDs in ../shared/reference/crds/."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jsonschema
import yaml

from streamplane.paths import PACKAGE_ROOT

CRDS_DIR = PACKAGE_ROOT.parent / "shared" / "reference" / "crds"
STRIMZI_CRDS = {"Kafka": "040-Crd-kafka.yaml", "KafkaTopic": "043-Crd-kafkatopic.yaml",
                "KafkaUser": "044-Crd-kafkauser.yaml", "KafkaNodePool": "045-Crd-kafkanodepool.yaml"}


def _to_draft4(node):
    """OpenAPI v3 schema -> JSON Schema: int-or-string becomes [integer, string]; k8s extensions dropped."""
    if isinstance(node, list):
        return [_to_draft4(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    int_or_string = node.get("x-kubernetes-int-or-string") is True
    for key, value in node.items():
        if key.startswith("x-kubernetes-") or (key == "format" and int_or_string):
            continue
        out[key] = _to_draft4(value) if key not in ("enum", "required") else value
    if int_or_string:
        out["type"] = ["integer", "string"]
        out.pop("anyOf", None)
    return out


@lru_cache(maxsize=None)
def crd(kind: str) -> dict:
    return yaml.safe_load((CRDS_DIR / STRIMZI_CRDS[kind]).read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def _validator(kind: str, api_version: str):
    document = crd(kind)
    group = document["spec"]["group"]
    for version in document["spec"]["versions"]:
        if version.get("served") and f"{group}/{version['name']}" == api_version:
            return jsonschema.Draft4Validator(_to_draft4(version["schema"]["openAPIV3Schema"]))
    served = [f"{group}/{v['name']}" for v in document["spec"]["versions"] if v.get("served")]
    raise AssertionError(f"{kind} {api_version} is not served by the CRD (served: {served})")


def crd_errors(manifest: dict) -> list[str]:
    """Every schema error of `manifest` against its CRD (empty: valid)."""
    validator = _validator(manifest["kind"], manifest["apiVersion"])
    body = {k: manifest[k] for k in ("apiVersion", "kind", "metadata", "spec") if k in manifest}
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(body)]
