"""The admin connection pulumi-kafka uses to manage a cluster's topics, ACLs and quotas: one kafka.Provider.

Stack config (streamplane:kafka.connections.<cluster>) supplies what the spec cannot: credentials
files, an admin user name, a bootstrap override (e.g. a port-forward). SCRAM passwords are Pulumi
secrets under streamplane:kafkaPasswords.<cluster> and never appear in plain text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pulumi
import pulumi_kafka as kafka

from streamplane.kafka.admin import (
    DEFAULT_ADMIN_USER,
    PASSWORDS_CONFIG_KEY,
    TLS_FILES,
    connection_config,
)
from streamplane.settings import StackSettings

SASL_MECHANISMS = {"scram": "scram-sha512", "iam": "aws-iam"}


@dataclass(frozen=True)
class Connection:
    """streamplane:kafka.connections.<cluster> of the stack config (every field optional)."""

    username: str = DEFAULT_ADMIN_USER
    bootstrap_servers: tuple[str, ...] = ()
    files: dict = field(default_factory=dict, hash=False)
    role_arn: str | None = None

    @classmethod
    def of(cls, cluster: str, settings: StackSettings) -> Connection:
        raw = connection_config(cluster, settings)
        return cls(username=raw.get("username") or DEFAULT_ADMIN_USER,
                   bootstrap_servers=tuple(raw.get("bootstrapServers") or ()),
                   files={k: raw[k] for k in TLS_FILES if raw.get(k)},
                   role_arn=raw.get("roleArn"))


def _password(cluster: str) -> pulumi.Output[str]:
    """The cluster's admin password, as a secret. A missing one is a check-phase error
    (streamplane.checks.kafka); the raise below only guards a program run without the check phase."""
    raw = pulumi.runtime.get_config(f"streamplane:{PASSWORDS_CONFIG_KEY}")
    try:
        entries = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError:
        entries = None
    if not isinstance(entries, dict) or not entries.get(cluster):
        raise pulumi.RunError(
            f'KafkaCluster "{cluster}": the admin connection uses SCRAM but no password is set for it. Run '
            f"`pulumi config set --secret --path '{PASSWORDS_CONFIG_KEY}.{cluster}' <password>` in stacks/.")
    passwords = pulumi.Config("streamplane").get_secret_object(PASSWORDS_CONFIG_KEY, {})
    return pulumi.Output.secret(passwords.apply(lambda p: p[cluster]))


def provider_args(cluster: str, mechanism: str, bootstrap: pulumi.Input[str], connection: Connection) -> dict:
    """kafka.Provider arguments for an admin connection over `mechanism` (iam | scram | tls). Always TLS."""
    servers: pulumi.Input = (list(connection.bootstrap_servers) if connection.bootstrap_servers
                             else pulumi.Output.from_input(bootstrap).apply(lambda text: [s for s in text.split(",") if s]))
    args: dict = {"bootstrap_servers": servers, "tls_enabled": True}
    if mechanism == "iam":
        args["sasl_mechanism"] = SASL_MECHANISMS["iam"]
        args["sasl_aws_region"] = pulumi.Config("aws").get("region")
        if connection.role_arn:
            args["sasl_aws_role_arn"] = connection.role_arn
    elif mechanism == "scram":
        args["sasl_mechanism"] = SASL_MECHANISMS["scram"]
        args["sasl_username"] = connection.username
        args["sasl_password"] = _password(cluster)
        if "caCertFile" in connection.files:
            args["ca_cert_file"] = connection.files["caCertFile"]
    elif mechanism == "tls":
        missing = [k for k in TLS_FILES if k not in connection.files]
        if missing:
            raise pulumi.RunError(
                f'KafkaCluster "{cluster}": the admin connection uses mutual TLS; set '
                + ", ".join(f"streamplane:kafka.connections.{cluster}.{k}" for k in missing)
                + " in the stack config (PEM files of the cluster CA and the admin user's certificate and key).")
        args["ca_cert_file"] = connection.files["caCertFile"]
        args["client_cert_file"] = connection.files["clientCertFile"]
        args["client_key_file"] = connection.files["clientKeyFile"]
    else:
        raise ValueError(f"unknown admin mechanism {mechanism!r}")
    return args


def create_provider(cluster: str, mechanism: str, bootstrap: pulumi.Input[str], connection: Connection,
                    parent: pulumi.Resource) -> kafka.Provider:
    return kafka.Provider(cluster, **provider_args(cluster, mechanism, bootstrap, connection),
                          opts=pulumi.ResourceOptions(parent=parent))
