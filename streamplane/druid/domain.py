"""The druid domain's declaration (streamplane/manifest.py): its components are components/druid/."""

from __future__ import annotations

from ..manifest import Domain, Kind

DRUID = Domain(
    name="druid",
    kinds=(Kind("DruidCluster", "kinds.cluster", "druid-cluster.json", check="kinds.cluster:check",
                promotable=("/spec/image",), platform_scoped=True),
           Kind("DruidDatasource", "kinds.datasource", "druid-datasource.json", check="kinds.datasource:check",
                shape=('[/"', '"/]'))),
    builds_after=("checkpoint", "kafka"),
    checks=("checks",),
    risk_rules=("risks",),
    hazard_kinds=(("druid", ("DruidCluster", "DruidDatasource")),),
    replace="replace",
    facts="facts",
    policies=("druid_cluster_deny_broker_cache", "druid_cluster_require_historical_cache",
              "druid_ingestion_require_compaction_delay"),
)
