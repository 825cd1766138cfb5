"""The cross-cutting platform domain's declaration (streamplane/manifest.py): no kinds and no builder
(components/platform.py builds the other domains; components/iam.py and components/kms.py serve them)."""

from __future__ import annotations

from ..manifest import Domain

PLATFORM = Domain(
    name="platform",
    builder=False,
    risk_rules=("risks.iam", "risks.loss", "risks.schema"),
    hazard_kinds=(("kms", ("CheckpointStore", "KafkaCluster")), ("schema", ("Stream",)),
                  ("iam", ("FlinkJob", "Route", "DruidCluster", "CheckpointStore", "KafkaCluster"))),
    replace="replace",
    policies=("kubernetes_namespace_require_resource_quota", "aws_resource_require_owner_environment_tags",
              "platform_stateful_require_protect"),
)
"""What no single domain owns: IAM grants, KMS keys, loss of access or data across domains, schema
compatibility between a stream and its readers, tags and protection policies."""

PROTECTION_RULES = ("risks.protection",)
"""The protected-resource rule (protected.delete), assessed before every domain's: the engine refuses
the whole update when it fires, so it leads each change's risks."""
