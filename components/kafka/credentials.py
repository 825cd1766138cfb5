"""Kafka client credentials as code: one SCRAM credential per principal per cluster, and the Kubernetes
Secret that carries it into a workload streamplane runs.

- MSK: a generated password (pulumi-random, a Pulumi secret), an aws.secretsmanager.Secret named
  `AmazonMSK_<MSK cluster>_<principal>` encrypted with the cluster's customer-managed SCRAM key (MSK
  refuses secrets without the prefix or under the AWS-managed key: MSK Developer Guide,
  msk-password-tutorial), a SecretVersion holding {"username", "password"} (the format the same page
  requires), and one aws.msk.ScramSecretAssociation per cluster listing every secret (it owns the
  cluster's whole set: terraform-provider-aws msk_scram_secret_association docs, so
  spec.msk.scramSecretArns join the same list). No SecretPolicy: on association MSK attaches its own
  resource policy to each secret and says not to modify it (msk-password-tutorial); docs/kafka.md
  says what could not be confirmed about drift.
- Strimzi: the same password as a kafka.UserScramCredential (SCRAM-SHA-512) through the cluster's
  pulumi-kafka provider. Not a KafkaUser: the User Operator reconciles a KafkaUser's ACLs and quotas
  from the KafkaUser itself (strimzi-kafka-operator user-operator KafkaUserOperator,
  reconcileCredentialsQuotasAndAcls) and would delete the ones pulumi-kafka grants; it ignores every
  application user (STRIMZI_IGNORED_USERS_PATTERN, components/kafka/strimzi.py).
- Strimzi with mutual TLS for applications (clientAuth [tls]): a `tls` KafkaUser per principal
  (components/kafka/strimzi.py says why that keeps ACLs pulumi-kafka's); the User Operator writes the
  keystore Secret, named as the principal, in the Kafka cluster's namespace; the truststore is the
  cluster CA Secret `<cluster>-cluster-ca-cert` (streamplane.kafka.clients.tls_stores). Nothing is
  copied: the workload must run in that namespace (streamplane.kafka.checks.connectivity says so).
- existing: nothing is issued; the spec names each principal's Secret (spec.existing.credentials).

Secret keys a workload reads: `username`, `password`, `sasl.jaas.config` (the JAAS line Kafka
clients take, for Druid's environment config provider). Values are Pulumi secrets: "<secret>" in
every synth, plan and review output.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws
import pulumi_kafka as kafka
import pulumi_kubernetes as k8s
import pulumi_random as random

from streamplane.kafka.clients import SASL_MECHANISM, TlsStores, msk_secret_name, tls_stores
from streamplane.kafka.kinds.cluster import KafkaClusterSpec
from streamplane.spec.model import Declared

from ..kms import kms_key

PASSWORD_LENGTH = 32
SCRAM_ITERATIONS = 8192
USERNAME_KEY = "username"
PASSWORD_KEY = "password"
JAAS_KEY = "sasl.jaas.config"
SCRAM_LOGIN_MODULE = "org.apache.kafka.common.security.scram.ScramLoginModule"


def _secret(value: Any) -> pulumi.Output:
    """`value` as a Pulumi secret (masked as "<secret>" in every output)."""
    return pulumi.Output.secret(value)


def jaas_config(username: str, password: str) -> str:
    """The sasl.jaas.config value of a SCRAM client (Kafka's JAAS line; quotes escaped)."""
    def quoted(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"{SCRAM_LOGIN_MODULE} required username={quoted(username)} password={quoted(password)};"


def workload_secret_name(cluster: str, principal: str) -> str:
    """The Kubernetes Secret a workload mounts for `principal` on `cluster` (generated credentials)."""
    return f"kafka-{cluster}-{principal}"


def credential_secret_name(cluster: Declared[KafkaClusterSpec], principal: str) -> str:
    """The name of the Secret a workload reads `principal`'s credential on `cluster` from (known from
    the spec: the user's own on an existing cluster, else the one `deliver` creates)."""
    existing = cluster.spec.existing
    if cluster.spec.engine == "existing" and existing is not None and principal in existing.credentials:
        return existing.credentials[principal]
    return workload_secret_name(cluster.name, principal)


@dataclass
class Credential:
    """One principal's credential on one cluster: generated (`password` set) or a Secret the spec names."""

    cluster: str
    principal: str
    password: pulumi.Output[str] | None = None
    secret_name: str | None = None
    """For existing clusters: the user's Secret (already in the workload's namespace); for a
    mutual-TLS KafkaUser: the Secret the User Operator writes (in the Kafka cluster's namespace)."""
    depends_on: list[pulumi.Resource] | None = None
    tls: TlsStores | None = None
    """A mutual-TLS client's keystore and truststore Secrets (by name), else None (SCRAM)."""


def named_credentials(cluster: Declared[KafkaClusterSpec], principals: list[str]) -> dict[str, Credential]:
    """The credentials nothing generates: an existing cluster's Secrets, which the spec names; none for
    a cluster without SCRAM (its clients authenticate by certificate or IAM)."""
    spec = cluster.spec
    if spec.engine != "existing":
        return {}
    named = spec.existing.credentials if spec.existing else {}
    return {p: Credential(cluster.name, p, secret_name=named[p], tls=tls_stores(cluster, p))
            for p in principals if p in named}


def issue(parent: pulumi.ComponentResource, cluster: Declared[KafkaClusterSpec], principals: list[str],
          tags: dict, protect: bool, msk_cluster: aws.msk.Cluster | None = None, msk_name: str = "",
          provider: kafka.Provider | None = None,
          tls_users: dict[str, pulumi.Resource] | None = None) -> dict[str, Credential]:
    """Every principal's credential on `cluster`, children of `parent`, by principal. `tls_users`:
    the KafkaUser of each principal of a mutual-TLS Strimzi cluster (components/kafka/strimzi.py)."""
    spec = cluster.spec
    name = cluster.name
    if tls_users:
        return {p: Credential(name, p, secret_name=p, depends_on=[user], tls=tls_stores(cluster, p))
                for p, user in tls_users.items()}
    if spec.engine == "existing" or "scram" not in spec.auth:
        return named_credentials(cluster, principals)
    child = pulumi.ResourceOptions(parent=parent)
    # The password and its Secrets Manager secret are protected where the stack protects (prod): a
    # replacement would log every client out (streamplane/risks/holdings.py).
    held = pulumi.ResourceOptions(parent=parent, protect=protect)
    passwords = {p: random.RandomPassword(f"{name}-{p}", length=PASSWORD_LENGTH, special=False, opts=held)
                 for p in principals}
    credentials: dict[str, Credential] = {}
    if spec.engine == "msk":
        assert msk_cluster is not None, "an MSK cluster issues its credentials after it exists"
        arns: list[pulumi.Input[str]] = []
        key = None if not passwords else kms_key(
            f"{name}-scram", description=f"streamplane MSK cluster {msk_name} SCRAM secrets", tags=tags,
            opts=pulumi.ResourceOptions(parent=parent, protect=protect))
        for principal, password in passwords.items():
            assert key is not None
            secret = aws.secretsmanager.Secret(
                f"{name}-{principal}", name=msk_secret_name(msk_name, principal), kms_key_id=key.arn, tags=tags,
                description=f"SCRAM user {principal} of MSK cluster {msk_name}", opts=held)
            version = aws.secretsmanager.SecretVersion(
                f"{name}-{principal}", secret_id=secret.id,
                secret_string=_secret(pulumi.Output.json_dumps(
                    {USERNAME_KEY: principal, PASSWORD_KEY: password.result})),
                opts=child)
            arns.append(secret.arn)
            credentials[principal] = Credential(name, principal, _secret(password.result),
                                                depends_on=[version])
        listed = arns + list(spec.msk.scram_secret_arns if spec.msk else ())
        if listed:
            association = aws.msk.ScramSecretAssociation(name, cluster_arn=msk_cluster.arn, secret_arn_lists=listed,
                                                         opts=pulumi.ResourceOptions(parent=parent, depends_on=[
                                                             c.depends_on[0] for c in credentials.values()
                                                             if c.depends_on]))
            for credential in credentials.values():
                credential.depends_on = [association]
        return credentials
    assert provider is not None, "a Strimzi cluster issues SCRAM credentials through its provider"
    for principal, password in passwords.items():
        scram = kafka.UserScramCredential(
            f"{name}-{principal}", username=principal, scram_mechanism=SASL_MECHANISM["scram"],
            scram_iterations=SCRAM_ITERATIONS, password=_secret(password.result),
            opts=pulumi.ResourceOptions(parent=parent, provider=provider))
        credentials[principal] = Credential(name, principal, _secret(password.result), depends_on=[scram])
    return credentials


def deliver(resource_name: str, credential: Credential, namespace: pulumi.Input[str], labels: dict,
            parent: pulumi.Resource, depends_on: list[pulumi.Resource] | None = None) -> str:
    """The name of the Kubernetes Secret in `namespace` holding `credential`: created here (a generated
    credential, its values Pulumi secrets) or the spec's own. Workloads reference it by name only."""
    if credential.password is None:
        assert credential.secret_name is not None, "checked: every client has a credential (checks.connectivity)"
        return credential.secret_name
    secret_name = workload_secret_name(credential.cluster, credential.principal)
    password = credential.password
    k8s.core.v1.Secret(
        resource_name,
        metadata={"name": secret_name, "namespace": namespace, "labels": labels},
        type="Opaque",
        string_data=_secret(password.apply(lambda pw: {
            USERNAME_KEY: credential.principal, PASSWORD_KEY: pw,
            JAAS_KEY: jaas_config(credential.principal, pw)})),
        opts=pulumi.ResourceOptions(parent=parent, depends_on=[*(depends_on or []), *(credential.depends_on or [])]))
    return secret_name
