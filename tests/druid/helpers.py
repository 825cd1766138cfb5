"""Druid test helpers: fixture paths, text mutations, problem descriptions."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from streamplane.errors import Problem

FIXTURES = Path(__file__).parent / "fixtures"
# The Kafka cluster and stream the Druid fixtures ingest from.
KAFKA_FIXTURES = FIXTURES / "kafka"
BASELINE = (FIXTURES / "druid-baseline.yaml").read_text(encoding="utf-8")
STACKS = Path(__file__).resolve().parents[2] / "stacks"
FAKE_KUBERNETES = {
    "oidcProviderArn": "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/TEST",
    "oidcIssuerUrl": "https://oidc.eks.us-east-1.amazonaws.com/id/TEST",
}


def mutate(text: str, *replacements: tuple[str, str]) -> str:
    """Apply exact one-time text replacements, failing if the baseline no longer contains one."""
    for old, new in replacements:
        assert text.count(old) == 1, f"baseline must contain {old!r} exactly once"
        text = text.replace(old, new)
    return text


def describe(problem: Problem) -> str:
    """file-name:line:col: pointer: message (the file's folder is a tmp path)."""
    loc = problem.location
    return f"{Path(loc.file).name}:{loc.line}:{loc.col}: {problem.pointer}: {problem.message}"


FAKE_KAFKA = {"connections": {"fronting": {
    "caCertFile": "ca.crt", "clientCertFile": "user.crt", "clientKeyFile": "user.key"}}}


def kubernetes_config() -> dict[str, str]:
    """Stack config for run_offline carrying the IRSA settings and the fixture Kafka cluster's admin
    connection (as stacks/Pulumi.<env>.yaml does)."""
    return {"streamplane:kubernetes": json.dumps(FAKE_KUBERNETES), "streamplane:kafka": json.dumps(FAKE_KAFKA)}


def load_yaml(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))

