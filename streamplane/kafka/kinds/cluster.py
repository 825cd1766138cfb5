"""KafkaCluster: where streams live (MSK, Strimzi or an existing cluster)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ...spec.model import Acknowledgement, KindDef

KIND = "KafkaCluster"
ENGINES = ("msk", "strimzi", "existing")
DEFAULT_CLIENT_AUTH = {"msk": ("iam", "scram"), "strimzi": ("tls", "scram"), "existing": ("scram",)}
"""How clients authenticate when spec.clientAuth is omitted. Never unauthenticated. msk: the admin over IAM,
applications over SCRAM; strimzi: the admin over mutual TLS, applications over SCRAM (their credentials are
issued as code; mutual-TLS certificates would need the User Operator)."""
ALLOWED_CLIENT_AUTH = {"msk": ("iam", "scram"), "strimzi": ("tls", "scram"), "existing": ("tls", "scram", "iam")}
DEFAULT_EBS_VOLUME_GIB = 1000
DEFAULT_ENHANCED_MONITORING = "PER_TOPIC_PER_BROKER"
DEFAULT_BROKER_LOG_RETENTION_DAYS = 14
DEFAULT_STRIMZI_KAFKA_VERSION = "4.3.1"
DEFAULT_STRIMZI_CONTROLLERS = 3
DEFAULT_STRIMZI_STORAGE_SIZE = "100Gi"
DEFAULT_STRIMZI_CONTROLLER_STORAGE_SIZE = "20Gi"


@dataclass(frozen=True)
class MskSettings:
    """spec.msk: the Amazon MSK cluster (subnets and security groups come from streamplane:network)."""

    instance_type: str
    kafka_version: str
    ebs_volume_gib: int = field(default=DEFAULT_EBS_VOLUME_GIB, metadata={"key": "ebsVolumeGiB"})
    kms_key_arn: str | None = None
    """None: the cluster gets its own KMS key (rotation on) for encryption at rest."""
    enhanced_monitoring: str = DEFAULT_ENHANCED_MONITORING
    broker_log_retention_days: int = DEFAULT_BROKER_LOG_RETENTION_DAYS
    scram_secret_arns: tuple[str, ...] = ()
    """Secrets Manager secrets (AmazonMSK_*) holding SCRAM users, associated with the cluster. None: no association."""
    server_properties: dict = field(default_factory=dict, hash=False)
    """Broker configs on top of the platform's (auto.create.topics.enable=false, ...)."""


@dataclass(frozen=True)
class StrimziSettings:
    """spec.strimzi: Kafka + KafkaNodePool custom resources (KRaft) for the Strimzi cluster operator."""

    version: str = DEFAULT_STRIMZI_KAFKA_VERSION
    namespace: str | None = None
    """None: streamplane:kafka.strimziNamespace from stack config, else "kafka"."""
    controllers: int = DEFAULT_STRIMZI_CONTROLLERS
    storage_size: str = DEFAULT_STRIMZI_STORAGE_SIZE
    controller_storage_size: str = DEFAULT_STRIMZI_CONTROLLER_STORAGE_SIZE
    storage_class: str | None = None
    """None: the Kubernetes cluster's default StorageClass."""
    config: dict = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class ExistingSettings:
    """spec.existing: a cluster managed elsewhere; streamplane manages only its topics, ACLs and quotas."""

    bootstrap_servers: tuple[str, ...]
    credentials: dict = field(default_factory=dict, hash=False)
    """principal -> the Kubernetes Secret holding its credential (keys username, password,
    sasl.jaas.config). Empty: clients of this cluster have no credential (the connectivity check says so)."""


@dataclass(frozen=True)
class QuotaSpec:
    """One principal's client quota on this cluster (Kafka's user quotas). Omitted rates: no limit."""

    principal: str
    producer_byte_rate: int | None = None
    consumer_byte_rate: int | None = None
    request_percentage: float | None = None


@dataclass(frozen=True)
class KafkaClusterSpec:
    """spec of a KafkaCluster. Omitted fields take the defaults named in schemas/kafka-cluster.json."""

    engine: str
    brokers: int
    client_auth: tuple[str, ...] = ()
    """Empty: DEFAULT_CLIENT_AUTH of the engine."""
    msk: MskSettings | None = None
    strimzi: StrimziSettings | None = None
    existing: ExistingSettings | None = None
    quotas: tuple[QuotaSpec, ...] = ()
    protect: bool | None = None
    """None: the stack's streamplane:protect setting decides."""
    acknowledge: tuple[Acknowledgement, ...] = ()
    """Risks of this object accepted on purpose, until their expiry (see streamplane.risks.leveled)."""

    @property
    def auth(self) -> tuple[str, ...]:
        """The client authentication mechanisms in force (the spec's, or the engine's default)."""
        return self.client_auth or DEFAULT_CLIENT_AUTH[self.engine]

    @property
    def application_auth(self) -> str:
        """How applications (producers, consumers) authenticate, which decides their principals' form.

        On MSK with IAM and SCRAM both on, applications use SCRAM: Kafka ACLs do not apply to IAM clients.
        """
        auth = self.auth
        return "scram" if "scram" in auth else auth[0]


KIND_DEF = KindDef(kind=KIND, spec_class=KafkaClusterSpec)
