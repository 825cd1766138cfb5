"""Generate an N-route platform spec: one KafkaCluster, and per route a source stream (with its
producer and consumer, hence ACLs) and, once the Route kind exists, the route itself
(source -> filter -> projection -> kafka sink) run by its own router job."""

from __future__ import annotations

from pathlib import Path

import yaml

API = "streamplane.io/v1"
PARTITIONS = 12


def documents(routes: int, variant: str = "head", route_kind: bool = False) -> list[dict]:
    """`variant="base"` differs from head the way a typical PR does: 1% of streams grow partitions."""
    docs = [{"apiVersion": API, "kind": "KafkaCluster", "metadata": {"name": "fronting", "owner": "stream-platform"},
             "spec": {"engine": "existing", "brokers": 6}}]
    for i in range(routes):
        team = f"team-{i % 40:02d}"
        partitions = PARTITIONS * 2 if variant == "head" and i % 100 == 0 else PARTITIONS
        docs.append({"apiVersion": API, "kind": "Stream", "metadata": {"name": f"events-{i:05d}", "owner": team},
                     "spec": {"cluster": "fronting", "partitions": partitions, "retention": "3d",
                              "schema": {"fields": [{"name": "ts", "type": "timestamp"}, {"name": "device_type", "type": "string"},
                                                    {"name": "bitrate_kbps", "type": "long"}]},
                              "producers": [f"{team}-api"], "consumers": [f"router-{i:05d}"]}})
        if route_kind:
            docs.append({"apiVersion": API, "kind": "Route", "metadata": {"name": f"route-{i:05d}", "owner": team},
                         "spec": {"source": f"events-{i:05d}", "filter": "bitrate_kbps > 1000",
                                  "projection": ["ts", "device_type"],
                                  "sink": {"kafka": {"stream": f"events-{(i + 1) % routes:05d}"}}, "delivery": "latency"}})
    return docs


def write(folder: Path, routes: int, variant: str, route_kind: bool) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "platform.yaml").open("w", encoding="utf-8") as handle:
        yaml.safe_dump_all(documents(routes, variant, route_kind), handle, sort_keys=False)
    return folder
