"""Small route specs in tmp_path, loaded and synthesized through the product path."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from components.platform import Platform
from streamplane.checks import load_layers
from streamplane.settings import StackSettings
from streamplane.synth import run_offline

OIDC = {"oidcProviderArn": "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/TEST0123",
        "oidcIssuerUrl": "https://oidc.eks.us-east-1.amazonaws.com/id/TEST0123"}
TLS_FILES = {"caCertFile": "ca.crt", "clientCertFile": "user.crt", "clientKeyFile": "user.key"}
CONFIG = {"aws:region": "us-east-1", "streamplane:kubernetes": json.dumps(OIDC),
          "streamplane:kafka": json.dumps({"connections": {"fronting": TLS_FILES, "consumer": TLS_FILES}})}

PLATFORM = """\
apiVersion: streamplane.io/v1
kind: CheckpointStore
metadata: {name: flink-state, owner: stream-platform}
---
apiVersion: streamplane.io/v1
kind: CheckpointStore
metadata: {name: warehouse, owner: data-platform}
---
apiVersion: streamplane.io/v1
kind: KafkaCluster
metadata: {name: fronting, owner: stream-platform}
spec: {engine: strimzi, brokers: 3}
---
apiVersion: streamplane.io/v1
kind: KafkaCluster
metadata: {name: consumer, owner: stream-platform}
spec: {engine: strimzi, brokers: 3}
---
apiVersion: streamplane.io/v1
kind: Stream
metadata: {name: playback-events, owner: playback}
spec:
  cluster: fronting
  partitions: 12
  schema:
    fields:
      - {name: ts, type: timestamp}
      - {name: event_type, type: string}
      - {name: country, type: string}
      - {name: title_id, type: long}
      - {name: bitrate_kbps, type: long}
      - {name: error_code, type: string, nullable: true}
---
apiVersion: streamplane.io/v1
kind: Stream
metadata: {name: playback-us, owner: playback}
spec:
  cluster: consumer
  partitions: 4
  schema:
    fields:
      - {name: ts, type: timestamp}
      - {name: event_type, type: string}
      - {name: title, type: long}
      - {name: note, type: string, nullable: true}
"""

TO_KAFKA = """\
apiVersion: streamplane.io/v1
kind: Route
metadata: {name: us-copy, owner: playback}
spec:
  source: playback-events
  filter: country == "US" and bitrate_kbps >= 3000
  projection: [ts, event_type, {field: title_id, as: title}]
  sink:
    kafka: {stream: playback-us}
  routerImage: registry.example.com/platform/router:2.4.0
"""

TO_S3 = """\
apiVersion: streamplane.io/v1
kind: Route
metadata: {name: to-warehouse, owner: playback}
spec:
  source: playback-events
  filter: event_type in ["start", "stop"]
  sink:
    s3: {store: warehouse, prefix: playback/events/, partitionBy: [country]}
  delivery: no-duplicates
  parallelism: 6
  routerImage: registry.example.com/platform/router:2.4.0
"""

TO_ES = """\
apiVersion: streamplane.io/v1
kind: Route
metadata: {name: errors-to-search, owner: playback}
spec:
  source: playback-events
  filter: exists(error_code)
  projection: [ts, error_code]
  sink:
    elasticsearch:
      endpoint: https://logs.es.example.com:9243
      indexPattern: playback-errors-{yyyy.MM.dd}
      credentials: {secret: es-writer, passwordKey: token}
  routerImage: registry.example.com/platform/router:2.4.0
"""


def write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


def synth(folder: Path, environment: str = "dev") -> dict:
    loaded = load_layers([folder], environment)
    return run_offline(lambda: Platform(loaded.spec, StackSettings(environment=environment, bucket_prefix="acme")),
                       environment, CONFIG)


def problems(folder: Path) -> list[str]:
    """Every error or warning of loading `folder`, file names relative to it."""
    from streamplane.errors import SpecError

    try:
        found = load_layers([folder], "dev").warnings
    except SpecError as err:
        found = err.problems
    return [str(p).replace(f"{folder}/", "") for p in found]


def by_urn(graph: dict) -> dict[str, dict]:
    return {r["urn"]: r for r in graph["resources"]}


def resource(graph: dict, type_: str, name: str) -> dict:
    [found] = [r for r in graph["resources"] if r["type"] == type_ and r["name"] == name]
    return found


def children(graph: dict, parent_urn: str) -> list[tuple[str, str]]:
    return sorted((r["type"], r["name"]) for r in graph["resources"] if r["parent"] == parent_urn)
