"""msk-cluster-require-tls-client-traffic: clients talk to MSK brokers over TLS only."""

from __future__ import annotations

from pulumi_policy import EnforcementLevel, ResourceValidationArgs

from ..support import get, resource_policy
from ._msk import MSK_CLUSTER

MSK_DEFAULT_CLIENT_BROKER = "TLS"
"""What MSK uses when encryptionInTransit.clientBroker is omitted."""


def check(args: ResourceValidationArgs):
    client_broker = get(args.props, "encryptionInfo", "encryptionInTransit", "clientBroker",
                        default=MSK_DEFAULT_CLIENT_BROKER)
    if isinstance(client_broker, str) and client_broker != "TLS":
        yield (f'MSK cluster "{args.name}" allows client traffic as {client_broker}: set '
               'encryptionInfo.encryptionInTransit.clientBroker to "TLS".')


POLICY = resource_policy(
    "msk-cluster-require-tls-client-traffic",
    "MSK clusters must accept client connections over TLS only.",
    [MSK_CLUSTER], check, EnforcementLevel.MANDATORY)
