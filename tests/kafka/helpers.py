"""Build small specs in tmp_path, load them through the product path, synthesize them under mocks."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from components.platform import Platform
from streamplane.checks import load_layers
from streamplane.settings import StackSettings
from streamplane.synth import run_offline

MSK_NETWORK = {"subnetIds": ["subnet-a", "subnet-b", "subnet-c"], "securityGroupIds": ["sg-kafka"]}
TLS_FILES = {"caCertFile": "ca.crt", "clientCertFile": "user.crt", "clientKeyFile": "user.key"}

MSK_CLUSTER = """\
apiVersion: streamplane.io/v1
kind: KafkaCluster
metadata: {name: fronting, owner: stream-platform}
spec:
  engine: msk
  brokers: 3
  msk:
    instanceType: kafka.m5.large
    kafkaVersion: 3.9.x
"""

STRIMZI_CLUSTER = """\
apiVersion: streamplane.io/v1
kind: KafkaCluster
metadata: {name: fronting, owner: stream-platform}
spec:
  engine: strimzi
  brokers: 3
"""

EXISTING_CLUSTER = """\
apiVersion: streamplane.io/v1
kind: KafkaCluster
metadata: {name: fronting, owner: stream-platform}
spec:
  engine: existing
  brokers: 3
  clientAuth: [scram]
  existing:
    bootstrapServers: [b-1.kafka.internal:9096, b-2.kafka.internal:9096]
"""

STREAM = """\
apiVersion: streamplane.io/v1
kind: Stream
metadata: {name: playback-events, owner: playback}
spec:
  cluster: fronting
  partitions: 12
  producers: [playback-api]
  consumers: [playback-router]
"""


def write_spec(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


def load(folder: Path, environment: str = "dev"):
    return load_layers([folder], environment)


def config_for(kafka: dict | None = None, network: dict | None = None, extra: dict | None = None) -> dict[str, str]:
    config = {"aws:region": "us-east-1"}
    if kafka is not None:
        config["streamplane:kafka"] = json.dumps(kafka)
    if network is not None:
        config["streamplane:network"] = json.dumps(network)
    config.update(extra or {})
    return config


def synth(folder: Path, environment: str = "dev", config: dict | None = None, protect: bool = False,
          secret_keys: list[str] | None = None, extra=None) -> dict:
    """The synth graph of the spec in `folder`; `extra(platform)` may add resources (e.g. a route's grants)."""
    loaded = load(folder, environment)

    def program():
        platform = Platform(loaded.spec, StackSettings(environment=environment, protect=protect))
        if extra:
            extra(platform)
        return platform

    return run_offline(program, environment, config if config is not None else default_config(), secret_keys)


def default_config() -> dict[str, str]:
    return config_for(kafka={"connections": {"fronting": TLS_FILES, "consumer": TLS_FILES}}, network=MSK_NETWORK)


def by_type(graph: dict, type_: str) -> dict[str, dict]:
    """Resources of `type_` by name."""
    return {r["name"]: r for r in graph["resources"] if r["type"] == type_}


def children(graph: dict, parent_urn: str) -> list[tuple[str, str]]:
    """(type, name) of the direct children of `parent_urn`, sorted."""
    return sorted((r["type"], r["name"]) for r in graph["resources"] if r["parent"] == parent_urn)


ACL = "kafka:index/acl:Acl"
TOPIC = "kafka:index/topic:Topic"
QUOTA = "kafka:index/quota:Quota"
PROVIDER = "pulumi:providers:kafka"


def spec_problems(folder: Path, environment: str = "dev") -> list[str]:
    """Every error (SpecError) or warning of loading `folder`, with the folder prefix cut from file names."""
    from streamplane.errors import SpecError

    try:
        found = load(folder, environment).warnings
    except SpecError as err:
        found = err.problems
    return [str(p).replace(f"{folder}/", "") for p in found]
