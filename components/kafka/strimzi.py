"""engine: strimzi — Kafka, KafkaNodePool (KRaft controllers, brokers) and the admin KafkaUser custom resources.

Strimzi 1.2.0 serves kafka.strimzi.io/v1 only; KRaft and node pools are its only mode (the
strimzi.io/kraft and strimzi.io/node-pools annotations are ignored since 0.48, so none are set).
The Topic Operator stays off: topics are managed through pulumi-kafka, and two controllers must
never fight over the same topic. The User Operator is on, to issue the admin's credentials, but it
is bidirectional: it deletes ACLs, quotas and SCRAM credentials of users that have no KafkaUser —
every application principal streamplane grants. STRIMZI_IGNORED_USERS_PATTERN makes it ignore every
user but the admin, so ACLs and quotas have one owner: pulumi-kafka.

Mutual-TLS applications (a cluster with clientAuth [tls]) need certificates, which only the User
Operator issues: one KafkaUser per principal, `authentication: {type: tls}`, no `authorization`.
That alone is not enough, as read in strimzi/strimzi-kafka-operator @ 8541da1e (user-operator):
the ignored-users pattern only filters the users the operator *discovers* in Kafka
(SimpleAclOperator / QuotasOperator getAllUsers); a KafkaUser resource is always reconciled, and
KafkaUserOperator.reconcileCredentialsQuotasAndAcls passes its ACL rules (null without an
`authorization` section: KafkaUserModel.fromCrd) to SimpleAclOperator.reconcile, which deletes every
existing ACL of `CN=<name>` when the desired set is null or empty. So such a cluster's User Operator
runs with STRIMZI_ACLS_ADMIN_API_SUPPORTED=false (UserOperatorConfig.ACLS_ADMIN_API_SUPPORTED; Main
then wires DisabledSimpleAclOperator and the ACL reconcile is skipped) and pulumi-kafka stays the one
owner of ACLs. Quotas have no such switch (QuotasOperator.reconcile deletes a KafkaUser's quotas
when it declares none), so a TLS principal's quota is written into its KafkaUser (`spec.quotas`)
instead of a kafka.Quota: the User Operator is their one owner.
"""

from __future__ import annotations

import re

import pulumi
import pulumi_kubernetes as k8s

from streamplane.kafka.admin import admin_mechanism
from streamplane.kafka.broker import config_string_map
from streamplane.kafka.clients import STRIMZI_PORTS, issues_tls_users, strimzi_namespace
from streamplane.kafka.kinds.cluster import KafkaClusterSpec, QuotaSpec, StrimziSettings
from streamplane.kafka.naming import principal
from streamplane.settings import StackSettings
from streamplane.spec.model import Declared

from ..checkpoint import is_protected

API_VERSION = "kafka.strimzi.io/v1"
DEFAULT_NAMESPACE = "kafka"
LISTENER_NAMES = {"tls": "tls", "scram": "scram"}
"""One internal TLS listener per client mechanism; ports in streamplane.kafka.clients.STRIMZI_PORTS."""
CLUSTER_LABEL = "strimzi.io/cluster"
MANAGED_BY = {"app.kubernetes.io/managed-by": "streamplane"}
AUTHENTICATION = {"tls": "tls", "scram": "scram-sha-512"}
IGNORED_USERS_ENV = "STRIMZI_IGNORED_USERS_PATTERN"
ACLS_ADMIN_API_ENV = "STRIMZI_ACLS_ADMIN_API_SUPPORTED"


def ignored_users_pattern(admin_user: str) -> str:
    """Every user except the admin (by name, or by certificate CN for mutual TLS), anchored."""
    return f"^(?!(CN=)?{re.escape(admin_user)}$).*$"


def namespace(spec: KafkaClusterSpec, stack_config: dict) -> str:
    return strimzi_namespace(spec, stack_config)


def user_operator_env(spec: KafkaClusterSpec, admin_user: str) -> list[dict]:
    """The User Operator's environment: ignore every discovered user but the admin; on a cluster whose
    applications are KafkaUsers (mutual TLS), never touch ACLs (module docstring)."""
    env = [{"name": IGNORED_USERS_ENV, "value": ignored_users_pattern(admin_user)}]
    if issues_tls_users(spec):
        env.append({"name": ACLS_ADMIN_API_ENV, "value": "false"})
    return env


def _rate(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def kafka_user_quotas(quota: QuotaSpec | None) -> dict:
    """A KafkaUser's `spec.quotas` from a spec quota (unset rates: no limit)."""
    if quota is None:
        return {}
    rates = (("producerByteRate", quota.producer_byte_rate), ("consumerByteRate", quota.consumer_byte_rate),
             ("requestPercentage", quota.request_percentage))
    return {key: _rate(value) for key, value in rates if value is not None}


def tls_client_users(cluster: Declared[KafkaClusterSpec], ns: str, principals: list[str]) -> dict[str, dict]:
    """One `tls` KafkaUser per application principal of a mutual-TLS cluster, keyed by resource name
    (`<cluster>-user-<principal>`). Named as the principal: the certificate's CN, and so the ACLs'
    `User:CN=<principal>`, is the KafkaUser's name; its Secret (same name) holds user.p12 and
    user.password. No `authorization`: ACLs stay pulumi-kafka's (module docstring)."""
    quotas = {q.principal: q for q in cluster.spec.quotas}
    users = {}
    for client in principals:
        body: dict = {"authentication": {"type": AUTHENTICATION["tls"]}}
        quota = kafka_user_quotas(quotas.get(client))
        if quota:
            body["quotas"] = quota
        users[f"{cluster.name}-user-{client}"] = {
            "apiVersion": API_VERSION, "kind": "KafkaUser",
            "metadata": _metadata(client, ns, cluster.owner, cluster.meta.labels, cluster=cluster.name),
            "spec": body,
        }
    return users


def bootstrap_address(name: str, ns: str, mechanism: str = "tls") -> str:
    """The bootstrap service of the listener of `mechanism`, as Strimzi names it (<cluster>-kafka-bootstrap)."""
    return f"{name}-kafka-bootstrap.{ns}.svc:{STRIMZI_PORTS[mechanism]}"


def listeners(spec: KafkaClusterSpec) -> list[dict]:
    """The Kafka CR's listeners: one internal TLS listener per mechanism of spec.auth."""
    return [{"name": LISTENER_NAMES[m], "port": STRIMZI_PORTS[m], "type": "internal", "tls": True,
             "authentication": {"type": AUTHENTICATION[m]}} for m in ("tls", "scram") if m in spec.auth]


def _metadata(name: str, ns: str, owner: str, labels: dict, cluster: str | None = None) -> dict:
    all_labels = {**labels, **MANAGED_BY, "streamplane.io/owner": owner}
    if cluster:
        all_labels[CLUSTER_LABEL] = cluster
    return {"name": name, "namespace": ns, "labels": all_labels}


def _storage(size: str, storage_class: str | None, kraft_metadata: bool) -> dict:
    volume = {"id": 0, "type": "persistent-claim", "size": size, "deleteClaim": False}
    if storage_class:
        volume["class"] = storage_class
    if kraft_metadata:
        volume["kraftMetadata"] = "shared"
    return {"type": "jbod", "volumes": [volume]}


def custom_resources(cluster: Declared[KafkaClusterSpec], ns: str, broker_defaults: dict[str, str],
                     admin_user: str) -> dict[str, dict]:
    """Every CR of the cluster as a plain manifest (apiVersion, kind, metadata, spec), keyed by resource name.

    `admin_user` is the admin KafkaUser's name (streamplane.kafka.admin.admin_username): a super user, so pulumi-kafka can
    manage topics, ACLs and quotas under simple authorization.
    """
    spec = cluster.spec
    strimzi = spec.strimzi or StrimziSettings()
    name, owner, labels = cluster.name, cluster.owner, cluster.meta.labels
    auth = admin_mechanism(spec)
    config = {**broker_defaults, **config_string_map(strimzi.config)}
    kafka = {
        "apiVersion": API_VERSION, "kind": "Kafka",
        "metadata": _metadata(name, ns, owner, labels),
        "spec": {
            "kafka": {
                "version": strimzi.version,
                "listeners": listeners(spec),
                "authorization": {"type": "simple", "superUsers": [principal(admin_user, auth)]},
                "config": config,
            },
            "entityOperator": {
                "userOperator": {},
                "template": {"userOperatorContainer": {"env": user_operator_env(spec, admin_user)}},
            },
        },
    }
    controllers = {
        "apiVersion": API_VERSION, "kind": "KafkaNodePool",
        "metadata": _metadata(f"{name}-controllers", ns, owner, labels, cluster=name),
        "spec": {"replicas": strimzi.controllers, "roles": ["controller"],
                 "storage": _storage(strimzi.controller_storage_size, strimzi.storage_class, kraft_metadata=True)},
    }
    brokers = {
        "apiVersion": API_VERSION, "kind": "KafkaNodePool",
        "metadata": _metadata(f"{name}-brokers", ns, owner, labels, cluster=name),
        "spec": {"replicas": spec.brokers, "roles": ["broker"],
                 "storage": _storage(strimzi.storage_size, strimzi.storage_class, kraft_metadata=False)},
    }
    admin = {
        "apiVersion": API_VERSION, "kind": "KafkaUser",
        "metadata": _metadata(admin_user, ns, owner, labels, cluster=name),
        "spec": {"authentication": {"type": AUTHENTICATION[auth]}},
    }
    return {name: kafka, f"{name}-controllers": controllers, f"{name}-brokers": brokers, f"{name}-admin": admin}


def create(parent: pulumi.ComponentResource, cluster: Declared[KafkaClusterSpec], settings: StackSettings,
           broker_defaults: dict[str, str], admin_user: str, stack_config: dict,
           tls_principals: tuple[str, ...] | list[str] = ()) -> tuple[str, str, dict[str, pulumi.Resource]]:
    """Create the CRs under `parent`; return the (application, admin) bootstrap addresses (known now:
    Strimzi names the services) and the KafkaUser of each mutual-TLS application principal."""
    ns = namespace(cluster.spec, stack_config)
    manifests = custom_resources(cluster, ns, broker_defaults, admin_user)
    users = tls_client_users(cluster, ns, list(tls_principals)) if issues_tls_users(cluster.spec) else {}
    manifests.update(users)
    issued: dict[str, pulumi.Resource] = {}
    protect = is_protected(cluster.spec.protect, settings)
    kafka_cr = None
    for resource_name, manifest in manifests.items():
        # The admin KafkaUser counts too: a new one gets new generated credentials (risks/holdings.py).
        stateful = manifest["kind"] in ("Kafka", "KafkaNodePool", "KafkaUser")
        depends: list[pulumi.Resource] = [kafka_cr] if kafka_cr is not None and manifest["kind"] == "KafkaUser" else []
        created = k8s.apiextensions.CustomResource(
            resource_name, api_version=manifest["apiVersion"], kind=manifest["kind"],
            metadata=manifest["metadata"], spec=manifest["spec"],
            opts=pulumi.ResourceOptions(parent=parent, protect=protect and stateful, depends_on=depends))
        if manifest["kind"] == "Kafka":
            kafka_cr = created
        if resource_name in users:
            issued[manifest["metadata"]["name"]] = created
    return (bootstrap_address(cluster.name, ns, cluster.spec.application_auth),
            bootstrap_address(cluster.name, ns, admin_mechanism(cluster.spec)), issued)
