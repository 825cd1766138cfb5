"""Druid: clusters (druid-operator `Druid`) and datasources (`DruidIngestion`) from DruidCluster and
DruidDatasource specs. `build_druid` is the one entry point the Platform calls."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pulumi

from streamplane.settings import StackSettings
from streamplane.spec.model import Declared, PlatformSpec

from ..checkpoint import CheckpointStore
from .cluster import DruidCluster
from .datasource import DruidDatasource

KUBERNETES_CONFIG_KEY = "kubernetes"
KUBERNETES_CONFIG_FIELDS = ("oidcProviderArn", "oidcIssuerUrl")


def kubernetes_config(settings: StackSettings) -> dict:
    """`streamplane:kubernetes` (the EKS cluster's OIDC provider, for IRSA); a RunError names what is missing."""
    config = settings.object(KUBERNETES_CONFIG_KEY)
    missing = [k for k in KUBERNETES_CONFIG_FIELDS if not config.get(k)]
    if missing:
        raise pulumi.RunError(
            f"stack config streamplane:{KUBERNETES_CONFIG_KEY} lacks {', '.join(missing)}: Druid clusters reach deep "
            f"storage through an IRSA role trusted by the EKS cluster's OIDC provider. Add them to "
            f"stacks/Pulumi.{settings.environment}.yaml.")
    return config


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
