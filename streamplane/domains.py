"""The domains of the platform, each declared in one place: its spec kinds (with their schema,
promotable fields and diagram shape), its checks, its component builder and the domains that builder
reuses, its hazards (risk rule modules and the kinds their codes fire on), the resource types whose
replace rules it owns, and its CrossGuard policies.

Every registry iterates DOMAINS instead of keeping its own list (docs/ARCHITECTURE.md, "Adding a
kind"): spec KINDS, the check phase's CHECKS, the Platform's construction order, risk RULES and the
kinds each risk code applies to, REPLACE_RULES, the policy pack's NAMES, PROMOTABLE and the diagram's
SHAPES. tests/test_domains.py walks them and fails on an entry no domain declares.

Stdlib only and names only (module names, type tokens, JSON pointers): each registry resolves the
names inside its own layer, so this module sits below every layer, the policy pack included.
DOMAINS is in construction order, which is also the report order of the policies and, with the
cross-cutting `platform` domain split around it, the order risks are assessed in.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    """One spec kind: `kind:` in a document, streamplane/spec/kinds/<module>.py (its KIND_DEF) and
    schemas/<schema>."""

    name: str
    module: str
    schema: str
    promotable: tuple[str, ...] = ()
    """JSON pointers promotion carries to the next environment (what runs: images, versions)."""
    shape: tuple[str, str] | None = None
    """Mermaid node delimiters in the PR comment's topology diagram; None: not drawn."""
    platform_scoped: bool = False
    """Built by the platform stack of a sharded environment (shared infrastructure), not by an owner's."""


@dataclass(frozen=True)
class Domain:
    """Everything one domain contributes to the registries, by name."""

    name: str
    kinds: tuple[Kind, ...] = ()
    builds_after: tuple[str, ...] = ()
    """Domains whose components this domain's builder reuses (built first)."""
    builder: bool = True
    """Whether components/platform.py has a builder for this domain."""
    checks: tuple[str, ...] = ()
    """Modules of streamplane/checks, each with check(spec, settings)."""
    risk_rules: tuple[str, ...] = ()
    """Modules of streamplane/risks/rules, each with RULES."""
    hazard_kinds: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """Risk code prefixes of this domain and the spec kinds whose resources they fire on (an
    acknowledgement elsewhere could never match). Prefixes no domain lists fire on every kind."""
    replace_types: tuple[str, ...] = ()
    """Resource type tokens whose replace rule (streamplane/plan/replace.py) this domain owns."""
    policies: tuple[str, ...] = ()
    """Modules of policies/rules, in the pack's report order."""


CHECKPOINT = Domain(
    name="checkpoint",
    kinds=(Kind("CheckpointStore", "checkpoint_store", "checkpoint-store.json", shape=('[("', '")]'),
                platform_scoped=True),),
    risk_rules=("store",),
    hazard_kinds=(("store", ("CheckpointStore",)),),
    replace_types=(
        "aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2",
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls", "aws:s3/bucketPolicy:BucketPolicy",
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "aws:s3/bucketVersioning:BucketVersioning"),
    policies=("s3_bucket_require_sse_kms", "s3_bucket_require_public_access_block", "s3_bucket_require_versioning",
              "s3_bucket_require_tls_only_policy", "s3_bucket_require_lifecycle"),
)

KAFKA = Domain(
    name="kafka",
    kinds=(Kind("KafkaCluster", "kafka_cluster", "kafka-cluster.json",
                promotable=("/spec/msk/kafkaVersion", "/spec/strimzi/version"), platform_scoped=True),
           Kind("Stream", "stream", "stream.json", shape=('[("', '")]'))),
    checks=("msk", "kafka", "connectivity"),
    risk_rules=("kafka", "msk"),
    hazard_kinds=(("kafka", ("Stream", "KafkaCluster", "Route", "FlinkJob")), ("msk", ("KafkaCluster",))),
    replace_types=(
        "kafka:index/topic:Topic", "kafka:index/acl:Acl", "kafka:index/quota:Quota",
        "kafka:index/userScramCredential:UserScramCredential", "pulumi:providers:kafka",
        "aws:msk/cluster:Cluster", "aws:msk/configuration:Configuration",
        "aws:msk/scramSecretAssociation:ScramSecretAssociation",
        "aws:secretsmanager/secret:Secret", "aws:secretsmanager/secretVersion:SecretVersion",
        "aws:cloudwatch/logGroup:LogGroup", "random:index/randomPassword:RandomPassword",
        "pulumi:providers:random",
        "kubernetes:kafka.strimzi.io/v1:Kafka", "kubernetes:kafka.strimzi.io/v1:KafkaNodePool",
        "kubernetes:kafka.strimzi.io/v1:KafkaUser"),
    policies=("msk_cluster_require_tls_client_traffic", "msk_cluster_require_in_cluster_encryption",
              "msk_cluster_require_cmk_at_rest", "msk_cluster_deny_unauthenticated_access",
              "msk_cluster_require_enhanced_monitoring", "msk_cluster_require_brokers_multiple_of_azs",
              "kafka_topic_require_min_replication_factor", "kafka_topic_require_min_insync_replicas",
              "kafka_topic_limit_retention", "kafka_topic_require_naming_convention",
              "kafka_topic_allow_known_config_keys"),
)

FLINK = Domain(
    name="flink",
    kinds=(Kind("FlinkJob", "flink_job", "flink-job.json", promotable=("/spec/image", "/spec/jarURI", "/spec/flinkVersion"),
                shape=('[["', '"]]')),),
    builds_after=("checkpoint",),
    checks=("flink",),
    risk_rules=("flink",),
    hazard_kinds=(("flink", ("FlinkJob", "Route")),),
    replace_types=(
        "kubernetes:flink.apache.org/v1beta1:FlinkDeployment", "kubernetes:core/v1:Namespace",
        "kubernetes:core/v1:ServiceAccount", "kubernetes:core/v1:LimitRange", "kubernetes:core/v1:ResourceQuota",
        "kubernetes:rbac.authorization.k8s.io/v1:Role", "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
        "kubernetes:helm.sh/v3:Release"),
    policies=("flink_deployment_deny_stateless_upgrade", "flink_deployment_require_high_availability",
              "flink_deployment_require_state_dirs_on_store", "flink_deployment_require_savepoint_on_deletion",
              "flink_deployment_require_resource_limits", "flink_deployment_deny_root"),
)

DRUID = Domain(
    name="druid",
    kinds=(Kind("DruidCluster", "druid_cluster", "druid-cluster.json", promotable=("/spec/image",), platform_scoped=True),
           Kind("DruidDatasource", "druid_datasource", "druid-datasource.json", shape=('[/"', '"/]'))),
    builds_after=("checkpoint", "kafka"),
    checks=("druid",),
    risk_rules=("druid",),
    hazard_kinds=(("druid", ("DruidCluster", "DruidDatasource")),),
    replace_types=("kubernetes:druid.apache.org/v1alpha1:Druid", "kubernetes:druid.apache.org/v1alpha1:DruidIngestion",
                   "kubernetes:core/v1:Service"),
    policies=("druid_cluster_deny_broker_cache", "druid_cluster_require_historical_cache",
              "druid_ingestion_require_compaction_delay"),
)

ROUTING = Domain(
    name="routing",
    kinds=(Kind("Route", "route", "route.json", promotable=("/spec/routerImage",), shape=('{{"', '"}}')),),
    builds_after=("checkpoint", "kafka", "flink"),
    risk_rules=("route",),
    hazard_kinds=(("route", ("Route",)),),
)

PLATFORM = Domain(
    name="platform",
    builder=False,
    risk_rules=("iam", "loss", "schema"),
    hazard_kinds=(("kms", ("CheckpointStore", "KafkaCluster")), ("schema", ("Stream",)),
                  ("iam", ("FlinkJob", "Route", "DruidCluster", "CheckpointStore", "KafkaCluster"))),
    replace_types=("aws:kms/key:Key", "aws:kms/alias:Alias", "aws:iam/role:Role", "aws:iam/rolePolicy:RolePolicy",
                   "kubernetes:core/v1:Secret", "pulumi:providers:aws", "pulumi:providers:kubernetes"),
    policies=("kubernetes_namespace_require_resource_quota", "aws_resource_require_owner_environment_tags",
              "platform_stateful_require_protect"),
)
"""What no single domain owns: IAM grants, KMS keys, loss of access or data across domains, schema
compatibility between a stream and its readers, tags and protection policies."""

PROTECTION_RULES = ("generic",)
"""The protected-resource rule (protected.delete), assessed before every domain's: the engine refuses
the whole update when it fires, so it leads each change's risks."""

DOMAINS: tuple[Domain, ...] = (CHECKPOINT, KAFKA, FLINK, DRUID, ROUTING, PLATFORM)


def kinds() -> Iterator[Kind]:
    for domain in DOMAINS:
        yield from domain.kinds


def kind_names() -> tuple[str, ...]:
    return tuple(kind.name for kind in kinds())


def domain_of(kind: str) -> Domain:
    """The one domain declaring spec kind `kind` (KeyError if none)."""
    for domain in DOMAINS:
        if any(k.name == kind for k in domain.kinds):
            return domain
    raise KeyError(kind)


def construction_order() -> tuple[Domain, ...]:
    """Domains with a builder, each after the domains it builds after; ties keep DOMAINS order."""
    by_name = {d.name: d for d in DOMAINS}
    done: list[Domain] = []

    def visit(domain: Domain, path: tuple[str, ...]) -> None:
        if domain in done:
            return
        if domain.name in path:
            raise ValueError(f"domains build after each other in a cycle: {' -> '.join((*path, domain.name))}")
        for name in domain.builds_after:
            visit(by_name[name], (*path, domain.name))
        done.append(domain)

    for domain in DOMAINS:
        visit(domain, ())
    return tuple(d for d in done if d.builder)


def risk_rule_modules() -> tuple[str, ...]:
    """Risk rule modules in assessment order: protection first, then each domain's."""
    return (*PROTECTION_RULES, *(m for d in DOMAINS for m in d.risk_rules))
