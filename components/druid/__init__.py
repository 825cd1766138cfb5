"""Druid: clusters (druid-operator `Druid`) and datasources (`DruidIngestion`) from DruidCluster and
DruidDatasource specs. `build_druid` is the one entry point the Platform calls."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from streamplane.druid.checks import KUBERNETES_CONFIG_KEY
from streamplane.kafka.clients import druid_principal, tls_stores
from streamplane.settings import StackSettings
from streamplane.spec.model import Declared, PlatformSpec

from ..checkpoint import CheckpointStore
from ..kafka import KafkaCluster
from ..kafka.credentials import JAAS_KEY, credential_secret_name
from .cluster import DruidCluster
from .datasource import DruidDatasource
from .ingestion_body import task_env_var, tls_task_env, tls_volumes


def kubernetes_config(settings: StackSettings) -> dict:
    """`streamplane:kubernetes` (the EKS cluster's OIDC provider, for IRSA); checked by streamplane.druid.checks."""
    return settings.object(KUBERNETES_CONFIG_KEY)


def _read_clusters(spec: PlatformSpec, cluster: Declared):
    for ds in spec.of("DruidDatasource"):
        stream = spec.get("Stream", ds.spec.stream)
        kafka_cluster = spec.get("KafkaCluster", stream.spec.cluster) if stream is not None else None
        if ds.spec.cluster == cluster.name and kafka_cluster is not None:
            yield ds, kafka_cluster


def task_env(spec: PlatformSpec, cluster: Declared) -> tuple[dict, ...]:
    """The middle-manager env of `cluster`'s datasources: each one's JAAS line from its credential
    Secret, or, reading a mutual-TLS cluster, its keystore and truststore passwords."""
    env: list[dict] = []
    for ds, kafka_cluster in _read_clusters(spec, cluster):
        stores = tls_stores(kafka_cluster, druid_principal(ds.name))
        if stores is not None:
            env.extend(tls_task_env(ds.name, stores))
            continue
        secret = credential_secret_name(kafka_cluster, druid_principal(ds.name))
        env.append(task_env_var(ds.name, secret, JAAS_KEY))
    return tuple(env)


def task_volumes(spec: PlatformSpec, cluster: Declared) -> tuple[tuple[dict, dict], ...]:
    """The middle managers' keystore and truststore mounts, once per Secret, for datasources reading
    mutual-TLS clusters (their Secrets by name only)."""
    found: dict[str, tuple[dict, dict]] = {}
    for ds, kafka_cluster in _read_clusters(spec, cluster):
        stores = tls_stores(kafka_cluster, druid_principal(ds.name))
        for volume, mount in tls_volumes(stores) if stores is not None else ():
            found.setdefault(volume["name"], (volume, mount))
    return tuple(found.values())


def build_druid_clusters(spec: PlatformSpec, settings: StackSettings,
                         stores: Mapping[str, CheckpointStore]) -> dict[str, DruidCluster]:
    """Every DruidCluster of the stack, by name (they need their deep storage store and their datasources' env)."""
    declared = spec.of("DruidCluster")
    if not declared:
        return {}
    kubernetes = kubernetes_config(settings)
    return {c.name: DruidCluster(c, settings, stores[c.spec.deep_storage], kubernetes, task_env(spec, c),
                                 task_volumes(spec, c))
            for c in declared}


def build_druid(spec: PlatformSpec, settings: StackSettings, stores: Mapping[str, CheckpointStore],
                kafka_clusters: Mapping[str, KafkaCluster], only: Callable[[Declared], bool] | None = None,
                ) -> tuple[dict[str, DruidCluster], dict[str, DruidDatasource]]:
    """Clusters, then datasources, each reading its stream's Kafka cluster with its own principal
    (`only`: the datasources it accepts, in a partitioned synth)."""
    clusters = build_druid_clusters(spec, settings, stores)
    datasources = {}
    for ds in spec.of("DruidDatasource"):
        if only is not None and not only(ds):
            continue
        stream = spec.require("Stream", ds.spec.stream)
        datasources[ds.name] = DruidDatasource(ds, stream, clusters[ds.spec.cluster],
                                               kafka_clusters[stream.spec.cluster], settings)
    return clusters, datasources


__all__ = ["DruidCluster", "DruidDatasource", "build_druid", "build_druid_clusters"]
