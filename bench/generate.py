"""Generate an N-route platform spec: one KafkaCluster, and per route a source stream (with its
producer, hence ACLs) and the route itself (source -> filter -> projection -> Kafka sink: one shared
downstream stream), run by its own router job with its own consumer and producer ACLs."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from streamplane.paths import SCHEMAS_DIR

API = "streamplane.io/v1"
PARTITIONS = 12


ROUTER_IMAGE = "registry.example.com/platform/router:2.4.0"
SINK_STREAM = "events-downstream"


def documents(routes: int, variant: str = "head", cluster: str | None = None, replication_factor: int = 3) -> list[dict]:
    """`variant="base"` differs from head the way a typical PR does: 1% of streams grow partitions.
    `cluster`: put the streams on this existing KafkaCluster; None: declare one (engine existing)."""
    docs = [] if cluster else [{"apiVersion": API, "kind": "KafkaCluster",
                                "metadata": {"name": "fronting", "owner": "stream-platform"}, "spec": _existing_cluster()}]
    cluster = cluster or "fronting"
    schema = {"fields": [{"name": "ts", "type": "timestamp"}, {"name": "device_type", "type": "string"},
                         {"name": "bitrate_kbps", "type": "long"}]}
    # Every route delivers into one downstream stream (a ring of routes would be an endless loop,
    # which validation rejects).
    docs.append({"apiVersion": API, "kind": "Stream", "metadata": {"name": SINK_STREAM, "owner": "stream-platform"},
                 "spec": {"cluster": cluster, "partitions": PARTITIONS, "replicationFactor": replication_factor,
                          "retention": "3d", "schema": schema}})
    for i in range(routes):
        team = f"team-{i // 10:03d}"  # ten routes per team: within the default tenant quota
        partitions = PARTITIONS * 2 if variant == "head" and i % 100 == 0 else PARTITIONS
        docs.append({"apiVersion": API, "kind": "Stream", "metadata": {"name": f"events-{i:05d}", "owner": team},
                     "spec": {"cluster": cluster, "partitions": partitions, "replicationFactor": replication_factor,
                              "retention": "3d",
                              "schema": schema, "producers": [f"{team}-api"]}})
        docs.append({"apiVersion": API, "kind": "Route", "metadata": {"name": f"r-{i:05d}", "owner": team},
                     "spec": {"source": f"events-{i:05d}", "filter": "bitrate_kbps > 1000",
                              "projection": ["ts", "device_type", "bitrate_kbps"],
                              "sink": {"kafka": {"stream": SINK_STREAM}}, "delivery": "latency",
                              "routerImage": ROUTER_IMAGE}})
    return docs


def _existing_cluster() -> dict:
    """A cluster managed elsewhere (no MSK resources to time), in the shape this build's schema asks."""
    spec = {"engine": "existing", "brokers": 6}
    schema = json.loads((SCHEMAS_DIR / "kafka-cluster.json").read_text(encoding="utf-8"))
    if "existing" in schema["properties"]["spec"]["properties"]:
        spec["existing"] = {"bootstrapServers": [f"kafka-{i}.bench.internal:9092" for i in range(3)]}
    return spec


def write(folder: Path, routes: int, variant: str, cluster: str | None = None, replication_factor: int = 3) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "platform.yaml").open("w", encoding="utf-8") as handle:
        yaml.safe_dump_all(documents(routes, variant, cluster, replication_factor), handle, sort_keys=False)
    return folder


def layers(root: Path, stacks: Path, routes: int, variant: str) -> list[Path]:
    """Spec layers of the benchmark platform. When the dev stack declares a KafkaCluster, the
    generated streams go on it, layered over stacks/base + stacks/dev (so clusters are configured as
    the build expects); otherwise the generated spec declares its own cluster and stands alone."""
    from streamplane.checks import load_layers
    from streamplane.errors import SpecError
    from streamplane.spec.loader import stack_layers

    try:
        base_layers = stack_layers(stacks, "dev")
        clusters = load_layers(base_layers, "dev").spec.of("KafkaCluster")
    except SpecError:
        clusters = ()
    folder = root / variant / "dev"
    if not clusters:
        return [write(folder, routes, variant)]
    cluster = clusters[0]
    rf = min(3, getattr(cluster.spec, "brokers", 3) or 3)
    return [*base_layers, write(folder, routes, variant, cluster.name, rf)]
