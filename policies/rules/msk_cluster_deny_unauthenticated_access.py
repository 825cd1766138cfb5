"""msk-cluster-deny-unauthenticated-access: every MSK client authenticates (IAM, SCRAM or mutual TLS)."""

from __future__ import annotations

from pulumi_policy import EnforcementLevel, ResourceValidationArgs

from ..support import as_bool, get, is_unknown, resource_policy
from ._msk import MSK_CLUSTER


def _any_auth(auth) -> bool:
    sasl = [get(auth, "sasl", "iam"), get(auth, "sasl", "scram")]
    tls = get(auth, "tls", "certificateAuthorityArns")
    return any(as_bool(v) or is_unknown(v) for v in sasl) or bool(tls) or is_unknown(tls)


def check(args: ResourceValidationArgs):
    auth = get(args.props, "clientAuthentication")
    if as_bool(get(auth, "unauthenticated")) is True:
        yield (f'MSK cluster "{args.name}" allows unauthenticated clients: set '
               "clientAuthentication.unauthenticated to false and use sasl.iam, sasl.scram or tls.")
    elif not is_unknown(auth) and not _any_auth(auth):
        # With no client authentication configured, MSK admits every client unauthenticated.
        yield (f'MSK cluster "{args.name}" configures no client authentication, so MSK admits unauthenticated '
               "clients: enable clientAuthentication.sasl.iam (or sasl.scram, or tls).")


POLICY = resource_policy(
    "msk-cluster-deny-unauthenticated-access",
    "MSK clusters must require client authentication (IAM, SCRAM or mutual TLS) and deny unauthenticated access.",
    [MSK_CLUSTER], check, EnforcementLevel.MANDATORY)
