"""Fixtures for the Flink tests: spec folders in tmp_path, synthesized through the product path."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from components.platform import Platform
from streamplane.checks import load_layers
from streamplane.settings import StackSettings
from streamplane.synth import run_offline
from tests.crd import CRDS

OIDC_ARN = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/TEST0123"
OIDC_URL = "https://oidc.eks.us-east-1.amazonaws.com/id/TEST0123"
FLINK_CONFIG = {"streamplane:kubernetes": json.dumps({"oidcProviderArn": OIDC_ARN, "oidcIssuerUrl": OIDC_URL})}

STORE = """\
apiVersion: streamplane.io/v1
kind: CheckpointStore
metadata: {name: flink-state, owner: stream-platform}
"""

STATEFUL_JOB = """\
apiVersion: streamplane.io/v1
kind: FlinkJob
metadata: {name: sessions, owner: playback}
spec:
  state: stateful
  checkpointStore: flink-state
  image: registry.example.com/sessions:1.0.0
  flinkVersion: v2_2
  jarURI: local:///opt/flink/usrlib/sessions.jar
  parallelism: 4
"""


def write_specs(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


def synth(layers: list[Path], env: str = "dev", config: dict | None = None, protect: bool = False) -> dict:
    loaded = load_layers(layers, env)
    settings = StackSettings(environment=env, protect=protect, bucket_prefix="acme")
    return run_offline(lambda: Platform(loaded.spec, settings), env, {**FLINK_CONFIG, **(config or {})})


def of_type(graph: dict, type_: str) -> list[dict]:
    return [r for r in graph["resources"] if r["type"] == type_]


@pytest.fixture
def base_dir(tmp_path: Path) -> Path:
    return write_specs(tmp_path / "base", {"stores.yaml": STORE, "jobs.yaml": STATEFUL_JOB})


@pytest.fixture(scope="session")
def flink_crd() -> Path:
    crd = CRDS / "flinkdeployments.flink.apache.org-v1.yml"
    assert crd.is_file(), f"the upstream CRD is not at {crd}: tests/reference/crds is part of the repository"
    return crd
