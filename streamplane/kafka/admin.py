"""The admin connection pulumi-kafka uses to manage a cluster: which mechanism, and what the stack
config must supply for it. Pure (no Pulumi runtime): the check phase and components/kafka share it."""

from __future__ import annotations

from collections.abc import Iterator

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


def admin_connection_problems(cluster: str, spec: KafkaClusterSpec, settings: StackSettings) -> Iterator[str]:
    """What the stack config lacks for the cluster's admin connection, each message ending in its fix."""
    mechanism = admin_mechanism(spec)
    if mechanism == "scram" and not has_password(cluster, settings):
        yield (f'KafkaCluster "{cluster}": the admin connection uses SCRAM but no password is set for it. Run '
               f"`pulumi config set --secret --path '{PASSWORDS_CONFIG_KEY}.{cluster}' <password>` in stacks/.")
    elif mechanism == "tls":
        given = connection_config(cluster, settings)
        missing = [key for key in TLS_FILES if not given.get(key)]
        if missing:
            yield (f'KafkaCluster "{cluster}": the admin connection uses mutual TLS; set '
                   + ", ".join(f"streamplane:kafka.connections.{cluster}.{key}" for key in missing)
                   + " in the stack config (PEM files of the cluster CA and the admin user's certificate and key).")
