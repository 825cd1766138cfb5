"""The admin connection (streamplane/kafka/admin.py): one rule gives the check phase its errors and the
providers (the platform stack's KafkaCluster, an owner stack's RemoteKafkaCluster) their arguments."""

from __future__ import annotations

import json

import pytest

from streamplane.kafka.admin import (
    IamAdmin,
    ScramAdmin,
    TlsAdmin,
    admin_connection,
    admin_connection_problems,
    checked_admin_connection,
)
from streamplane.kafka.kinds.cluster import KafkaClusterSpec
from streamplane.settings import StackSettings

from .helpers import TLS_FILES


def settings(**objects) -> StackSettings:
    return StackSettings.from_config_map({f"streamplane:{k}": json.dumps(v) for k, v in objects.items()}, "dev")


def cluster(engine: str, *auth: str) -> KafkaClusterSpec:
    return KafkaClusterSpec(engine=engine, brokers=3, client_auth=auth)


def test_msk_with_iam_signs_with_aws_credentials_and_its_role():
    given = settings(kafka={"connections": {"c": {"roleArn": "arn:aws:iam::1:role/admin"}}})
    assert admin_connection("c", cluster("msk", "iam", "scram"), given) == IamAdmin((), "arn:aws:iam::1:role/admin")


def test_scram_needs_the_clusters_password_and_names_its_user():
    given = settings(kafkaPasswords={"c": "<secret>"}, kafka={"connections": {"c": {"username": "ops"}}})
    assert admin_connection("c", cluster("existing", "scram"), given) == ScramAdmin((), "ops")
    assert admin_connection("c", cluster("existing", "scram"), settings(kafkaPasswords={"other": "x"})) == [
        'KafkaCluster "c": the admin connection uses SCRAM but no password is set for it. Run '
        "`pulumi config set --secret --path 'kafkaPasswords.c' <password>` in stacks/."]


def test_on_strimzi_the_admin_user_is_the_clusters_kafka_user_for_both_stacks():
    """Owner stacks (RemoteKafkaCluster) used to log in as the bare user name: the same rule now serves both."""
    given = settings(kafkaPasswords={"c": "<secret>"})
    assert admin_connection("c", cluster("strimzi", "scram"), given) == ScramAdmin((), "c-streamplane-admin")


def test_mutual_tls_needs_all_three_files():
    full = settings(kafka={"connections": {"c": {**TLS_FILES, "bootstrapServers": ["localhost:9093"]}}})
    assert admin_connection("c", cluster("strimzi", "tls"), full) == TlsAdmin(("localhost:9093",), "ca.crt", "user.crt",
                                                                             "user.key")
    partial = settings(kafka={"connections": {"c": {"clientCertFile": "user.crt"}}})
    [problem] = admin_connection_problems("c", cluster("strimzi", "tls"), partial)
    assert "streamplane:kafka.connections.c.caCertFile, streamplane:kafka.connections.c.clientKeyFile" in problem


def test_a_caller_that_skipped_the_check_phase_is_a_programming_error():
    with pytest.raises(ValueError, match=r"admin connection of an unchecked platform: .*mutual TLS"):
        checked_admin_connection("c", cluster("strimzi", "tls"), settings())
