"""The admin connection pulumi-kafka uses to manage a cluster's topics, ACLs and quotas: one kafka.Provider.

Stack config (streamplane:kafka.connections.<cluster>) supplies what the spec cannot: credentials
files, an admin user name, a bootstrap override (e.g. a port-forward). SCRAM passwords are Pulumi
secrets under streamplane:kafkaPasswords.<cluster> and never appear in plain text.
"""

from __future__ import annotations

import pulumi
import pulumi_kafka as kafka

from streamplane.kafka.admin import PASSWORDS_CONFIG_KEY, AdminConnection, IamAdmin, ScramAdmin, TlsAdmin

SASL_MECHANISMS = {"scram": "scram-sha512", "iam": "aws-iam"}


def _password(cluster: str) -> pulumi.Output[str]:
    """The cluster's admin password, as a secret (the check phase made sure the stack config has it)."""
    passwords = pulumi.Config("streamplane").get_secret_object(PASSWORDS_CONFIG_KEY, {})
    return pulumi.Output.secret(passwords.apply(lambda p: p[cluster]))


def provider_args(cluster: str, connection: AdminConnection, bootstrap: pulumi.Input[str]) -> dict:
    """kafka.Provider arguments for the cluster's admin connection (streamplane.kafka.admin). Always TLS;
    `bootstrap` (the cluster's admin listener) unless the stack config overrides the servers."""
    servers: pulumi.Input = (list(connection.bootstrap_servers) if connection.bootstrap_servers
                             else pulumi.Output.from_input(bootstrap).apply(lambda text: [s for s in text.split(",") if s]))
    args: dict = {"bootstrap_servers": servers, "tls_enabled": True}
    match connection:
        case IamAdmin():
            args["sasl_mechanism"] = SASL_MECHANISMS["iam"]
            args["sasl_aws_region"] = pulumi.Config("aws").get("region")
            if connection.role_arn:
                args["sasl_aws_role_arn"] = connection.role_arn
        case ScramAdmin():
            args["sasl_mechanism"] = SASL_MECHANISMS["scram"]
            args["sasl_username"] = connection.username
            args["sasl_password"] = _password(cluster)
            if connection.ca_cert_file:
                args["ca_cert_file"] = connection.ca_cert_file
        case TlsAdmin():
            args["ca_cert_file"] = connection.ca_cert_file
            args["client_cert_file"] = connection.client_cert_file
            args["client_key_file"] = connection.client_key_file
    return args


def create_provider(cluster: str, connection: AdminConnection, bootstrap: pulumi.Input[str],
                    parent: pulumi.Resource) -> kafka.Provider:
    return kafka.Provider(cluster, **provider_args(cluster, connection, bootstrap),
                          opts=pulumi.ResourceOptions(parent=parent))
