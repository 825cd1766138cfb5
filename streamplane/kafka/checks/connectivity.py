"""Connectivity: every Kafka client edge has a principal, a credential, exactly the ACLs its operations
need and a listener whose security protocol its client configuration uses.

Each spec-level piece is checked where a user can get it wrong, and reported at the client's line
(a stream's producers/consumers entry, a route's source or sink, a datasource's stream):
- principal: a certificate-style principal (`User:CN=...`) on a cluster whose clients use SCRAM;
- credential: streamplane issues SCRAM credentials on MSK and Strimzi, and a mutual-TLS KafkaUser per
  principal on a TLS-only Strimzi cluster (whose Secret a workload can mount only from the Kafka
  cluster's namespace); an existing cluster needs a Secret named per principal
  (spec.existing.credentials), and IAM-only MSK none;
- ACLs: the bindings the components declare (streams' producers and consumers, route and Druid
  grants) hold every binding the edge's operations need (streamplane/kafka/acls.py) and nothing more;
- listener: the client's mechanism has a listener on the cluster, on the port its bootstrap servers
  use (existing MSK hosts: 9092 PLAINTEXT, 9094 TLS, 9096 SCRAM, 9098 IAM, or the same listener's public
  9194/9196/9198 or IPv6 20094/20096/20098 port);
- a principal's credential or quota on a cluster it has no edge on (principal on the wrong cluster).
"""

from __future__ import annotations

from collections.abc import Iterator

from streamplane.kafka.acls import Binding, required_bindings
from streamplane.kafka.clients import (
    MSK_HOST_SUFFIX,
    MSK_PORTS,
    ClientEdge,
    client_edges,
    client_listener,
    credential_source,
    listeners,
    msk_listener_of_port,
    strimzi_namespace,
)
from streamplane.kafka.naming import principal

from ...druid.kinds.cluster import namespace_of
from ...errors import Problem
from ...settings import StackSettings
from ...spec.model import Declared, PlatformSpec
from ..admin import KAFKA_CONFIG_KEY
from .msk import msk_cluster_name


def declared_bindings(spec: PlatformSpec, edges: list[ClientEdge]) -> dict[str, set[Binding]]:
    """The bindings the platform declares per cluster: what each edge's operations need. The components
    grant exactly these (the Stream's producers and consumers, the Route's and the DruidDatasource's
    grants); tests/kafka/test_connectivity.py compares them with every kafka.Acl a synthesis makes."""
    auth = {c.name: c.spec.application_auth for c in spec.of("KafkaCluster")}
    declared: dict[str, set[Binding]] = {name: set() for name in auth}
    for edge in edges:
        stream = spec.get("Stream", edge.stream)
        if stream is not None and edge.cluster in auth:
            declared[edge.cluster].update(required_bindings(edge, stream.spec.topic_name(stream.name), auth[edge.cluster]))
    return declared


def _binding_text(b: Binding) -> str:
    pattern = " (prefixed)" if b.pattern != "Literal" else ""
    return f"{b.operation} on {b.resource_type} {b.resource_name}{pattern}"


def listener_problem(cluster: Declared) -> str | None:
    """Why the clients' protocol and the port they connect to disagree, or None."""
    spec = cluster.spec
    client = client_listener(spec)
    offered = listeners(spec).get(client.mechanism)
    if offered is None or offered.port != client.port:
        return (f'cluster "{cluster.name}" has no {client.describe()} listener for its clients. Add '
                f"{client.mechanism} to its spec.clientAuth")
    if spec.engine == "existing" and spec.existing is not None:
        for server in spec.existing.bootstrap_servers:
            host, port = server.rsplit(":", 1)
            if not host.endswith(MSK_HOST_SUFFIX):
                continue
            expected = MSK_PORTS.get(client.mechanism)
            # A public (91xx) or IPv6 (200xx) port of the same listener is the same protocol: fine.
            actual = msk_listener_of_port(int(port)) or "no"
            if actual != client.mechanism:
                return (f'its clients use {client.security_protocol}'
                        f'{" " + client.sasl_mechanism if client.sasl_mechanism else ""}, but bootstrap server '
                        f"{server} is MSK's {actual} listener (port {port}). Use port {expected}, or set "
                        f"spec.clientAuth to [{actual}]")
    return None


def workload_namespace_of(edge: ClientEdge, spec: PlatformSpec) -> str | None:
    """The namespace of the pods streamplane runs for this client (a router's owner namespace, a
    datasource's Druid cluster namespace), or None for applications streamplane does not run."""
    kind = (edge.workload or "").partition(":")[0]
    if kind == "route":
        return edge.declared.owner
    if kind == "druid":
        druid = spec.get("DruidCluster", edge.declared.spec.cluster)
        return namespace_of(druid) if druid is not None else None
    return None


def edge_problems(edge: ClientEdge, cluster: Declared, settings: StackSettings,
                  declared: set[Binding], topic: str, workload_namespace: str | None = None) -> Iterator[str]:
    """What this edge lacks, each as a message ending in its fix."""
    auth = cluster.spec.application_auth
    if ":" in edge.client and "CN=" in edge.client.upper() and auth != "tls":
        yield (f'{edge.describe()} as principal "{edge.client}", a certificate name, but clients of cluster '
               f'"{cluster.name}" authenticate with {auth.upper()}: their principal is User:<name>. Write the bare name')
    source, why = credential_source(cluster, edge.client, msk_cluster_name(settings, cluster.name))
    if source is None:
        yield f"{edge.describe()} but has no credential: {why}"
    elif source.kind == "kafkauser" and workload_namespace is not None:
        kafka_namespace = strimzi_namespace(cluster.spec, settings.object(KAFKA_CONFIG_KEY))
        if workload_namespace != kafka_namespace:
            yield (f'{edge.describe()} from namespace "{workload_namespace}", but its certificate is Secret '
                   f'{edge.client} in namespace "{kafka_namespace}": the Strimzi User Operator writes a KafkaUser\'s '
                   "Secret in the Kafka cluster's namespace and a pod mounts Secrets of its own namespace only. Run "
                   f'the workload in "{kafka_namespace}", or add scram to spec.clientAuth of KafkaCluster '
                   f'"{cluster.name}" ([tls, scram]) so its credential is generated where it runs')
    problem = listener_problem(cluster)
    if problem:
        yield f"{edge.describe()}: {problem}"
    for binding in required_bindings(edge, topic, auth):
        if binding not in declared:
            yield (f"{edge.describe()} but has no ACL {_binding_text(binding)} for {binding.principal}: Kafka denies "
                   "it (allow.everyone.if.no.acl.found=false). Declare the client where the platform grants it "
                   "(the stream's producers/consumers, or the route/datasource grant)")


def extra_problems(edges: list[ClientEdge], by_cluster: dict[str, set[Binding]], needed: dict[str, set[Binding]],
                   auth: dict[str, str]) -> Iterator[tuple[ClientEdge, str]]:
    """Bindings for a client beyond what its edges on that cluster need (IDEMPOTENT_WRITE aside), reported
    at the client's first edge on that cluster.

    The surplus of each cluster is computed once and grouped by principal: taking the set difference
    per (cluster, principal) instead made this quadratic in the clients of a cluster (most of a
    one-route review on a 2,000-route platform)."""
    first: dict[tuple[str, str], ClientEdge] = {}
    for edge in edges:
        first.setdefault((edge.cluster, principal(edge.client, auth[edge.cluster])), edge)
    surplus: dict[tuple[str, str], list[Binding]] = {}
    for cluster in {cluster for cluster, _ in first}:
        for b in by_cluster.get(cluster, set()) - needed.get(cluster, set()):
            if b.resource_type != "Cluster":
                surplus.setdefault((cluster, b.principal), []).append(b)
    for (cluster, who), edge in first.items():
        extra = sorted(surplus.get((cluster, who), ()), key=lambda b: b.key)
        if extra:
            yield edge, (f"{edge.describe()}; the platform grants {who} more than its operations need: "
                         f"{', '.join(_binding_text(b) for b in extra)}. Remove those grants")


def wrong_cluster_problems(spec: PlatformSpec, edges: list[ClientEdge]) -> Iterator[Problem]:
    """A quota or a named credential for a principal with no edge on that cluster."""
    clusters_of: dict[str, set[str]] = {}
    for edge in edges:
        clusters_of.setdefault(edge.client, set()).add(edge.cluster)
    for cluster in spec.of("KafkaCluster"):
        named = [(f"/spec/quotas/{i}/principal", q.principal, "quota") for i, q in enumerate(cluster.spec.quotas)]
        existing = cluster.spec.existing
        if existing is not None:
            named += [(f"/spec/existing/credentials/{p}", p, "credential") for p in existing.credentials]
        for pointer, who, what in named:
            where = clusters_of.get(who, set())
            if cluster.name in where:
                continue
            elsewhere = (f'its streams are on {", ".join(sorted(where))}. Move the {what} there' if where
                         else f"it is no client of any stream. Remove the {what} or declare the client")
            yield Problem(cluster.source.locate(pointer), pointer,
                          f'{what} for principal "{who}" on cluster "{cluster.name}", which it never connects to: '
                          f"{elsewhere}.")


def check(spec: PlatformSpec, settings: StackSettings) -> Iterator[Problem]:
    clusters = {c.name: c for c in spec.of("KafkaCluster")}
    edges = [e for e in client_edges(spec) if e.cluster in clusters]
    auth = {name: c.spec.application_auth for name, c in clusters.items()}
    declared = declared_bindings(spec, edges)
    needed: dict[str, set[Binding]] = {}
    for edge in edges:
        stream = spec.require("Stream", edge.stream)
        topic = stream.spec.topic_name(stream.name)
        needed.setdefault(edge.cluster, set()).update(required_bindings(edge, topic, auth[edge.cluster]))
        for message in edge_problems(edge, clusters[edge.cluster], settings, declared[edge.cluster], topic,
                                     workload_namespace_of(edge, spec)):
            yield Problem(edge.declared.source.locate(edge.pointer), edge.pointer, message + ".")
    for edge, message in extra_problems(edges, declared, needed, auth):
        yield Problem(edge.declared.source.locate(edge.pointer), edge.pointer, message + ".")
    yield from wrong_cluster_problems(spec, edges)


def edge_report(spec: PlatformSpec, settings: StackSettings) -> list[dict]:
    """Every client edge with its auth, for `streamplane topology`: principal, credential, ACLs, listener."""
    clusters = {c.name: c for c in spec.of("KafkaCluster")}
    edges = [e for e in client_edges(spec) if e.cluster in clusters]
    declared = declared_bindings(spec, edges)
    report = []
    for edge in edges:
        cluster = clusters[edge.cluster]
        stream = spec.require("Stream", edge.stream)
        auth = cluster.spec.application_auth
        source, _ = credential_source(cluster, edge.client, msk_cluster_name(settings, cluster.name))
        required = required_bindings(edge, stream.spec.topic_name(stream.name), auth)
        client = client_listener(cluster.spec)
        report.append({
            "client": edge.client, "role": edge.role, "operation": edge.operation,
            "stream": edge.stream, "cluster": edge.cluster, "principal": principal(edge.client, auth),
            "credential": source.describe() if source else None,
            "acls": [_binding_text(b) for b in required if b in declared[edge.cluster]],
            "missingAcls": [_binding_text(b) for b in required if b not in declared[edge.cluster]],
            "listener": client.describe() if listener_problem(cluster) is None else None,
        })
    return report
