"""Druid: clusters (druid-operator `Druid`) and datasources (`DruidIngestion`) from DruidCluster and
DruidDatasource specs. `build_druid` is the one entry point the Platform calls."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pulumi

from streamplane.checks.druid import KUBERNETES_CONFIG_KEY
from streamplane.settings import StackSettings
from streamplane.spec.model import Declared, PlatformSpec

from ..checkpoint import CheckpointStore
from .cluster import DruidCluster
from .datasource import DruidDatasource


def kubernetes_config(settings: StackSettings) -> dict:
    """`streamplane:kubernetes` (the EKS cluster's OIDC provider, for IRSA); checked by streamplane.checks.druid."""
    return settings.object(KUBERNETES_CONFIG_KEY)


def build_druid_clusters(spec: PlatformSpec, settings: StackSettings,
                         stores: Mapping[str, CheckpointStore]) -> dict[str, DruidCluster]:
    """Every DruidCluster of the stack, by name (they need only their deep storage store)."""
    declared = spec.of("DruidCluster")
    if not declared:
        return {}
    kubernetes = kubernetes_config(settings)
    return {c.name: DruidCluster(c, settings, stores[c.spec.deep_storage], kubernetes) for c in declared}


def build_druid(spec: PlatformSpec, settings: StackSettings, stores: Mapping[str, CheckpointStore],
                bootstrap_for: Callable[[Declared], pulumi.Input[str]],
                ) -> tuple[dict[str, DruidCluster], dict[str, DruidDatasource]]:
    """Clusters, then datasources; `bootstrap_for(stream)` gives a stream's Kafka bootstrap servers."""
    clusters = build_druid_clusters(spec, settings, stores)
    datasources = {}
    for ds in spec.of("DruidDatasource"):
        stream = spec.require("Stream", ds.spec.stream)
        datasources[ds.name] = DruidDatasource(ds, stream, clusters[ds.spec.cluster], bootstrap_for(stream), settings)
    return clusters, datasources


__all__ = ["DruidCluster", "DruidDatasource", "build_druid", "build_druid_clusters"]
