"""Who talks to which Kafka cluster, and how: client edges, listeners and credential sources (pure).

A client edge is one application reading or writing one stream on its cluster: a stream's producers
and consumers (applications streamplane does not run), a route's router job (`route-<name>`) on its
source and on a Kafka sink, and a Druid datasource's indexing tasks (`druid-<datasource>`). For each
edge the platform owes the client a principal, a credential, the ACLs its operations need and a
listener whose security protocol its client configuration uses; streamplane.kafka.checks.connectivity
proves all four before anything is built, and components/kafka/credentials.py issues the credentials.

Listener facts:
- Amazon MSK (Developer Guide, "Port information", docs.aws.amazon.com/msk/latest/developerguide/
  port-info.html, read 2026-12-03): 9092 plaintext; from within AWS 9094 TLS, 9096 SASL/SCRAM, 9098
  IAM; public access 9194 TLS, 9196 SASL/SCRAM, 9198 IAM; IPv6 20092 plaintext, 20094 TLS, 20096
  SASL/SCRAM, 20098 IAM. Client-broker traffic here is TLS only, so only the SASL listeners of
  spec.auth exist, and streamplane hands its own clients the private port.
- Strimzi: one listener per mechanism, streamplane names them (components/kafka/strimzi.py): mutual
  TLS `tls` on 9093 (the admin), SCRAM-SHA-512 `scram` on 9094 (applications).
- SASL over TLS is Kafka's SASL_SSL; SCRAM here is always SCRAM-SHA-512 (the MSK and Strimzi one);
  MSK IAM is the AWS_MSK_IAM SASL mechanism (aws-msk-iam-auth).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..routing.kinds import KafkaSink, router_name
from ..spec.model import Declared, PlatformSpec
from .kinds.cluster import KafkaClusterSpec
from .naming import consumer_group

MSK_PORTS = {"plaintext": 9092, "tls": 9094, "scram": 9096, "iam": 9098}
"""The port of each MSK listener for access from within AWS (the one streamplane's clients use)."""
MSK_PUBLIC_PORTS = {"tls": 9194, "scram": 9196, "iam": 9198}
MSK_IPV6_PORTS = {"plaintext": 20092, "tls": 20094, "scram": 20096, "iam": 20098}


def msk_listener_of_port(port: int) -> str | None:
    """The MSK listener (mechanism) a port belongs to, private, public or IPv6; None: no MSK listener."""
    for table in (MSK_PORTS, MSK_PUBLIC_PORTS, MSK_IPV6_PORTS):
        for mechanism, known in table.items():
            if known == port:
                return mechanism
    return None
STRIMZI_PORTS = {"tls": 9093, "scram": 9094}
SECURITY_PROTOCOL = {"tls": "SSL", "scram": "SASL_SSL", "iam": "SASL_SSL"}
SASL_MECHANISM = {"scram": "SCRAM-SHA-512", "iam": "AWS_MSK_IAM"}
MSK_HOST_SUFFIX = ".amazonaws.com"
DRUID_PRINCIPAL_PREFIX = "druid-"
TRANSACTIONAL_DELIVERY = "no-duplicates"
"""The route delivery whose Kafka sink commits transactionally (components/routing/router.py
DELIVERY_SETTINGS maps it to exactly-once; tests/kafka/test_clients.py keeps the two in step)."""
STRIMZI_DEFAULT_NAMESPACE = "kafka"
# What Strimzi writes for mutual TLS, as read in strimzi/strimzi-kafka-operator @ 8541da1e (2026-08-22):
# - the User Operator's Secret of a `tls` KafkaUser, named as the KafkaUser, in the namespace it watches
#   (the Kafka cluster's): ca.crt (the clients CA), user.crt, user.key, and, with PKCS12 generation on
#   (STRIMZI_PKCS12_KEYSTORE_GENERATION, default true), user.p12 and its password user.password
#   (user-operator KafkaUserModel.generateSecret; UserOperatorConfig.PKCS12_KEYSTORE_GENERATION);
# - the cluster CA a client must trust: Secret `<cluster>-cluster-ca-cert` with ca.crt, ca.p12 and
#   ca.password (api KafkaResources.clusterCaCertificateSecretName; operator-common Ca.SecretEntry with
#   CA_SECRET_PREFIX "ca").
TLS_KEYSTORE_KEY = "user.p12"
TLS_KEYSTORE_PASSWORD_KEY = "user.password"
TLS_TRUSTSTORE_KEY = "ca.p12"
TLS_TRUSTSTORE_PASSWORD_KEY = "ca.password"
TLS_STORE_TYPE = "PKCS12"
KAFKA_SECRETS_DIR = "/opt/streamplane/kafka"
"""Where workloads streamplane runs mount mutual-TLS keystore and truststore Secrets, one directory each."""


def secret_dir(secret: str) -> str:
    """The directory a credential Secret is mounted at in a workload's pods."""
    return f"{KAFKA_SECRETS_DIR}/{secret}"
MSK_SECRET_PREFIX = "AmazonMSK_"
"""MSK associates only Secrets Manager secrets whose names start with it, encrypted under a customer-managed
KMS key (MSK Developer Guide, msk-password-tutorial.html "Set up SASL/SCRAM authentication", read 2026-12-03)."""


def druid_principal(datasource: str) -> str:
    """The Kafka principal of a Druid datasource's indexing tasks: one per datasource, so its ACLs
    name exactly the topic and group it reads."""
    return f"{DRUID_PRINCIPAL_PREFIX}{datasource}"


@dataclass(frozen=True)
class Listener:
    """Where a cluster accepts clients of one mechanism (tls | scram | iam)."""

    mechanism: str
    port: int

    @property
    def security_protocol(self) -> str:
        return SECURITY_PROTOCOL[self.mechanism]

    @property
    def sasl_mechanism(self) -> str | None:
        return SASL_MECHANISM.get(self.mechanism)

    def describe(self) -> str:
        sasl = f" {self.sasl_mechanism}" if self.sasl_mechanism else ""
        return f"{self.security_protocol}{sasl} on port {self.port}"


def listeners(spec: KafkaClusterSpec) -> dict[str, Listener]:
    """The client listeners of a cluster, by mechanism. For an existing cluster: what its bootstrap
    servers' port says (one mechanism, as declared)."""
    if spec.engine == "msk":
        return {m: Listener(m, MSK_PORTS[m]) for m in spec.auth if m in MSK_PORTS}
    if spec.engine == "strimzi":
        return {m: Listener(m, STRIMZI_PORTS[m]) for m in spec.auth}
    ports = bootstrap_ports(spec)
    return {spec.auth[0]: Listener(spec.auth[0], ports[0] if ports else 0)}


def bootstrap_ports(spec: KafkaClusterSpec) -> list[int]:
    """The ports of an existing cluster's bootstrap servers (host:port, checked by the schema)."""
    if spec.existing is None:
        return []
    return sorted({int(server.rsplit(":", 1)[1]) for server in spec.existing.bootstrap_servers})


def client_listener(spec: KafkaClusterSpec) -> Listener:
    """The listener applications' client configuration uses: the cluster's application mechanism, on
    the port of the bootstrap servers streamplane hands them."""
    mechanism = spec.application_auth
    if spec.engine == "msk":
        return Listener(mechanism, MSK_PORTS[mechanism])
    if spec.engine == "strimzi":
        return Listener(mechanism, STRIMZI_PORTS[mechanism])
    ports = bootstrap_ports(spec)
    return Listener(mechanism, ports[0] if ports else 0)


@dataclass(frozen=True)
class ClientEdge:
    """One client reading or writing one stream on the stream's cluster."""

    client: str
    """The application (principal) name, before the cluster's User: form."""
    role: str
    """producer | consumer | router | druid"""
    operation: str
    """produce | consume"""
    stream: str
    cluster: str
    declared: Declared
    """The spec object that declares the client (a Stream, Route or DruidDatasource)."""
    pointer: str
    """Where in that object: the client's line."""
    group: str | None = None
    """The consumer group of a consume edge."""
    transactional: bool = False
    """An exactly-once producer (transactional ids prefixed with the client's name)."""
    workload: str | None = None
    """`route:<name>` or `druid:<datasource>` when streamplane runs the client (its pod gets the credential)."""

    def describe(self) -> str:
        verb = "writes" if self.operation == "produce" else "reads"
        return f'{self.role} "{self.client}" {verb} stream "{self.stream}" on cluster "{self.cluster}"'


def route_edges(route: Declared, spec: PlatformSpec, exactly_once: bool) -> Iterator[ClientEdge]:
    """The router's edges: it reads its source (group `route-<name>.<source>`) and writes a Kafka sink."""
    principal = router_name(route.name)
    source = spec.get("Stream", route.spec.source)
    workload = f"route:{route.name}"
    if source is not None:
        yield ClientEdge(principal, "router", "consume", source.name, source.spec.cluster, route, "/spec/source",
                         group=consumer_group(principal, source.name), workload=workload)
    sink = route.spec.sink
    target = spec.get("Stream", sink.stream) if isinstance(sink, KafkaSink) else None
    if target is not None:
        yield ClientEdge(principal, "router", "produce", target.name, target.spec.cluster, route,
                         "/spec/sink/kafka/stream", transactional=exactly_once, workload=workload)


def client_edges(spec: PlatformSpec) -> list[ClientEdge]:
    """Every client edge of the platform, in spec order: streams' producers and consumers, routers,
    Druid datasources. Edges to undeclared streams are left out (validation reports those)."""
    edges: list[ClientEdge] = []
    for stream in spec.of("Stream"):
        s = stream.spec
        for index, producer in enumerate(s.producers):
            edges.append(ClientEdge(producer, "producer", "produce", stream.name, s.cluster, stream,
                                    f"/spec/producers/{index}"))
        for index, consumer in enumerate(s.consumers):
            group = s.consumer_groups.get(consumer) or consumer_group(consumer, stream.name)
            edges.append(ClientEdge(consumer, "consumer", "consume", stream.name, s.cluster, stream,
                                    f"/spec/consumers/{index}", group=group))
    for route in spec.of("Route"):
        edges.extend(route_edges(route, spec, route.spec.delivery == TRANSACTIONAL_DELIVERY))
    for ds in spec.of("DruidDatasource"):
        read = spec.get("Stream", ds.spec.stream)
        if read is None:
            continue
        principal = druid_principal(ds.name)
        edges.append(ClientEdge(principal, "druid", "consume", read.name, read.spec.cluster, ds, "/spec/stream",
                                group=consumer_group(principal, read.name), workload=f"druid:{ds.name}"))
    return edges


def principals_by_cluster(edges: list[ClientEdge]) -> dict[str, list[str]]:
    """Each cluster's client principals, sorted, once each: the credentials a cluster issues."""
    found: dict[str, set[str]] = {}
    for edge in edges:
        found.setdefault(edge.cluster, set()).add(edge.client)
    return {cluster: sorted(names) for cluster, names in sorted(found.items())}


def strimzi_namespace(spec: KafkaClusterSpec, stack_kafka_config: dict) -> str:
    """The namespace of a Strimzi cluster's resources (and of the Secrets its User Operator writes):
    spec.strimzi.namespace, else streamplane:kafka.strimziNamespace, else "kafka"."""
    own = spec.strimzi.namespace if spec.strimzi is not None else None
    return own or stack_kafka_config.get("strimziNamespace") or STRIMZI_DEFAULT_NAMESPACE


def cluster_ca_secret_name(cluster: str) -> str:
    """Strimzi's Secret holding the cluster CA certificate clients trust (`<cluster>-cluster-ca-cert`)."""
    return f"{cluster}-cluster-ca-cert"


def issues_tls_users(spec: KafkaClusterSpec) -> bool:
    """A Strimzi cluster whose applications authenticate with mutual TLS: each principal gets a
    KafkaUser (authentication tls) whose certificate the User Operator issues."""
    return spec.engine == "strimzi" and spec.application_auth == "tls"


@dataclass(frozen=True)
class TlsStores:
    """Where a mutual-TLS client's keystore and truststore come from: Secrets and their keys (names only)."""

    keystore_secret: str
    truststore_secret: str
    keystore_key: str = TLS_KEYSTORE_KEY
    keystore_password_key: str = TLS_KEYSTORE_PASSWORD_KEY
    truststore_key: str = TLS_TRUSTSTORE_KEY
    truststore_password_key: str = TLS_TRUSTSTORE_PASSWORD_KEY


def tls_stores(cluster: Declared[KafkaClusterSpec], principal: str) -> TlsStores | None:
    """The stores of `principal` on a mutual-TLS cluster: the KafkaUser's Secret and the cluster CA
    Secret on Strimzi; on an existing cluster one Secret the spec names, holding all four keys."""
    spec = cluster.spec
    if spec.application_auth != "tls":
        return None
    if issues_tls_users(spec):
        return TlsStores(principal, cluster_ca_secret_name(cluster.name))
    named = (spec.existing.credentials if spec.existing else {}).get(principal)
    return TlsStores(named, named) if named else None


@dataclass(frozen=True)
class CredentialSource:
    """Where a principal's credential on one cluster comes from."""

    kind: str
    """secretsmanager (MSK SCRAM secret, generated) | scram (SCRAM credential through the admin API,
    generated) | kafkauser (a Strimzi KafkaUser, mutual TLS, certificate issued by the User Operator)
    | secret (a Kubernetes Secret the user names, existing clusters)"""
    name: str
    """The Secrets Manager secret's name, the SCRAM user name, or the Kubernetes Secret's name."""

    def describe(self) -> str:
        return {"secretsmanager": f"Secrets Manager secret {self.name} (generated, associated with the cluster)",
                "scram": f"SCRAM-SHA-512 credential of user {self.name} (generated)",
                "kafkauser": f"Strimzi KafkaUser {self.name} (mutual TLS; the User Operator issues Secret {self.name})",
                "secret": f"Kubernetes Secret {self.name} (named in the spec)"}[self.kind]


def msk_secret_name(msk_cluster_name: str, principal: str) -> str:
    """`AmazonMSK_<MSK cluster name>_<principal>`: the prefix MSK requires, then whose secret it is."""
    return f"{MSK_SECRET_PREFIX}{msk_cluster_name}_{principal}"


def credential_source(cluster: Declared[KafkaClusterSpec], principal: str, msk_cluster_name: str,
                      ) -> tuple[CredentialSource | None, str]:
    """(source, why none) of `principal`'s credential on `cluster`. Credentials are SCRAM (generated
    on MSK and Strimzi) or, on an existing cluster, a Secret the spec names."""
    spec = cluster.spec
    if spec.engine == "existing":
        secret = (spec.existing.credentials if spec.existing else {}).get(principal)
        if secret:
            return CredentialSource("secret", secret), ""
        keys = (f"{TLS_KEYSTORE_KEY}, {TLS_KEYSTORE_PASSWORD_KEY}, {TLS_TRUSTSTORE_KEY}, {TLS_TRUSTSTORE_PASSWORD_KEY}"
                if spec.application_auth == "tls" else "username, password, sasl.jaas.config")
        return None, (f'add spec.existing.credentials.{principal} to KafkaCluster "{cluster.name}": the name of '
                      f"the Kubernetes Secret holding its credential (keys {keys})")
    if issues_tls_users(spec):
        if ":" in principal:
            return None, (f'write the bare name instead of "{principal}": on KafkaCluster "{cluster.name}" its '
                          "KafkaUser is named as the principal, and that name becomes the certificate's CN")
        return CredentialSource("kafkauser", principal), ""
    if "scram" not in spec.auth:
        return None, (f'add scram to spec.clientAuth of KafkaCluster "{cluster.name}": streamplane issues SCRAM '
                      "credentials, and Kafka ACLs do not apply to IAM clients")
    if spec.engine == "msk":
        return CredentialSource("secretsmanager", msk_secret_name(msk_cluster_name, principal)), ""
    return CredentialSource("scram", principal), ""


__all__ = [
    "MSK_PORTS",
    "STRIMZI_PORTS",
    "ClientEdge",
    "CredentialSource",
    "Listener",
    "client_edges",
    "client_listener",
    "credential_source",
    "druid_principal",
    "listeners",
    "msk_listener_of_port",
    "msk_secret_name",
    "principals_by_cluster",
    "strimzi_namespace",
    "tls_stores",
]
