"""The admin connection pulumi-kafka uses to manage a cluster: which mechanism, and what the stack
config must supply for it. Pure (no Pulumi runtime): the check phase and components/kafka share it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..settings import StackSettings
from .kinds.cluster import KafkaClusterSpec

DEFAULT_ADMIN_USER = "streamplane-admin"
KAFKA_CONFIG_KEY = "kafka"
PASSWORDS_CONFIG_KEY = "kafkaPasswords"
TLS_FILES = ("caCertFile", "clientCertFile", "clientKeyFile")


def admin_mechanism(spec: KafkaClusterSpec) -> str:
    """How pulumi-kafka authenticates: IAM on MSK when enabled (no password to keep), else the cluster's one;
    on Strimzi, the admin's own listener (mutual TLS unless the cluster serves SCRAM only)."""
    if spec.engine == "strimzi":
        # mutual TLS when the cluster has it (the admin's certificate comes from the User Operator)
        return "tls" if "tls" in spec.auth else spec.application_auth
    return "iam" if spec.engine == "msk" and "iam" in spec.auth else spec.application_auth


def connection_config(cluster: str, settings: StackSettings) -> dict:
    """streamplane:kafka.connections.<cluster> of the stack config ({} when absent)."""
    connections = settings.object(KAFKA_CONFIG_KEY).get("connections")
    raw = connections.get(cluster) if isinstance(connections, dict) else None
    return raw if isinstance(raw, dict) else {}


def has_password(cluster: str, settings: StackSettings) -> bool:
    """Whether streamplane:kafkaPasswords.<cluster> is set (a secret; offline it is a placeholder)."""
    return bool(settings.object(PASSWORDS_CONFIG_KEY).get(cluster))


def admin_username(cluster: str, spec: KafkaClusterSpec, settings: StackSettings) -> str:
    """The admin's user name: streamplane:kafka.connections.<cluster>.username, else the default. On
    Strimzi it is also the admin KafkaUser's name (its SCRAM user or certificate CN); KafkaUser names
    are unique per namespace and clusters may share one, so the cluster's name leads it there."""
    username = connection_config(cluster, settings).get("username") or DEFAULT_ADMIN_USER
    return f"{cluster}-{username}" if spec.engine == "strimzi" else username


@dataclass(frozen=True)
class IamAdmin:
    """MSK with IAM: the provider signs with the AWS credentials (optionally assuming `role_arn`)."""

    bootstrap_servers: tuple[str, ...]
    role_arn: str | None = None


@dataclass(frozen=True)
class ScramAdmin:
    """SCRAM-SHA-512 as `username`; the password is the secret streamplane:kafkaPasswords.<cluster>."""

    bootstrap_servers: tuple[str, ...]
    username: str
    ca_cert_file: str | None = None


@dataclass(frozen=True)
class TlsAdmin:
    """Mutual TLS with the admin user's certificate and key, trusting the cluster CA."""

    bootstrap_servers: tuple[str, ...]
    ca_cert_file: str
    client_cert_file: str
    client_key_file: str


AdminConnection = IamAdmin | ScramAdmin | TlsAdmin
"""How pulumi-kafka reaches a cluster's admin listener; `bootstrap_servers` empty: the cluster's own."""


def admin_connection(cluster: str, spec: KafkaClusterSpec, settings: StackSettings) -> AdminConnection | list[str]:
    """The cluster's admin connection from the stack config, or what the config lacks for it (each
    message ending in its fix): the one rule behind the check phase's errors and the provider's arguments."""
    raw = connection_config(cluster, settings)
    servers = tuple(raw.get("bootstrapServers") or ())
    mechanism = admin_mechanism(spec)
    if mechanism == "iam":
        return IamAdmin(servers, raw.get("roleArn") or None)
    if mechanism == "scram":
        if not has_password(cluster, settings):
            return [f'KafkaCluster "{cluster}": the admin connection uses SCRAM but no password is set for it. Run '
                    f"`pulumi config set --secret --path '{PASSWORDS_CONFIG_KEY}.{cluster}' <password>` in stacks/."]
        return ScramAdmin(servers, admin_username(cluster, spec, settings), raw.get("caCertFile") or None)
    missing = [key for key in TLS_FILES if not raw.get(key)]
    if missing:
        return [f'KafkaCluster "{cluster}": the admin connection uses mutual TLS; set '
                + ", ".join(f"streamplane:kafka.connections.{cluster}.{key}" for key in missing)
                + " in the stack config (PEM files of the cluster CA and the admin user's certificate and key)."]
    return TlsAdmin(servers, raw["caCertFile"], raw["clientCertFile"], raw["clientKeyFile"])


def admin_connection_problems(cluster: str, spec: KafkaClusterSpec, settings: StackSettings) -> Iterator[str]:
    """What the stack config lacks for the cluster's admin connection, each message ending in its fix."""
    resolved = admin_connection(cluster, spec, settings)
    if isinstance(resolved, list):
        yield from resolved


def checked_admin_connection(cluster: str, spec: KafkaClusterSpec, settings: StackSettings) -> AdminConnection:
    """admin_connection of a platform the check phase accepted (streamplane.checks.kafka reports the
    gaps, located, first): a gap here is a caller that skipped the check phase, a programming error."""
    resolved = admin_connection(cluster, spec, settings)
    if isinstance(resolved, list):
        raise ValueError(f"admin connection of an unchecked platform: {resolved[0]}")
    return resolved
