"""Validate a hand-built custom resource against the upstream CRD (as the brief describes)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jsonschema
import yaml

CRDS = Path("/work/shared/reference/crds")


def _convert(node):
    if isinstance(node, dict):
        out = {k: _convert(v) for k, v in node.items() if not k.startswith("x-kubernetes-") and k != "format"}
        if node.get("x-kubernetes-int-or-string"):
            out["type"] = ["integer", "string"]
        return out
    if isinstance(node, list):
        return [_convert(v) for v in node]
    return node


@lru_cache(maxsize=None)
def _validator(file: str):
    crd = yaml.safe_load((CRDS / file).read_text())
    version = next(v for v in crd["spec"]["versions"] if v.get("served"))
    return jsonschema.Draft4Validator(_convert(version["schema"]["openAPIV3Schema"]))


def _validate(file: str, document: dict) -> list[str]:
    if not (CRDS / file).is_file():
        import pytest
        pytest.skip(f"upstream CRD {file} is not available on this machine")
    return [e.message for e in _validator(file).iter_errors(document)]


def validate_flink_deployment(document: dict) -> list[str]:
    return _validate("flinkdeployments.flink.apache.org-v1.yml", document)


def validate_druid(document: dict) -> list[str]:
    return _validate("druid.apache.org_druids.yaml", document)


def validate_druid_ingestion(document: dict) -> list[str]:
    return _validate("druid.apache.org_druidingestions.yaml", document)
