"""Outputs the offline mocks can predict: what a provider derives from known inputs, and stable
unknowns for what it cannot.

A provider derives some outputs from its inputs alone (an S3 bucket's ARN from its name); the
mocks return those as real text, so policy documents, annotations and connection strings built from
them are comparable. An output only the cloud can assign (a KMS key id, an MSK cluster's UUID and
broker hosts) is returned, in preview only, as the stable unknown `"<computed:URN#output>"`, tied to
its producer: an unchanged producer yields the same text on both sides of a plan. Every other output
the program did not set stays the SDK's anonymous unknown (`"<computed>"` in the graph).

ARN formats: terraform-provider-aws (internal/service/s3/bucket.go, iam/role.go, kms/alias.go,
logs/group.go), as the bridged pulumi-aws provider reports them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

COMPUTED_PREFIX = "<computed"


def computed_marker(urn: str, output: str) -> str:
    """The stable unknown of output `output` (its engine name, camelCase) of the resource `urn`."""
    return f"<computed:{urn}#{output}>"


def _text(value: object) -> str | None:
    """A known string input (unknown inputs and markers are not derivable text)."""
    return value if isinstance(value, str) and value and COMPUTED_PREFIX not in value else None


class Context:
    """What a derivation may read: the resource's URN and inputs, the stack's account and region."""

    def __init__(self, urn: str, inputs: Mapping[str, object], account: str | None, region: str | None) -> None:
        self.urn = urn
        self.inputs = inputs
        self.account = account
        self.region = region

    def marker(self, output: str) -> str:
        return computed_marker(self.urn, output)


Derivation = Callable[[Context], tuple[str, dict[str, object]]]


def _bucket(ctx: Context) -> tuple[str, dict[str, object]]:
    name = _text(ctx.inputs.get("bucket"))
    if name is None:  # auto-named (random suffix) or built from an unknown
        return ctx.marker("id"), {"bucket": ctx.marker("bucket"), "arn": ctx.marker("arn")}
    return name, {"bucket": name, "arn": f"arn:aws:s3:::{name}"}


def _role(ctx: Context) -> tuple[str, dict[str, object]]:
    name = _text(ctx.inputs.get("name"))
    if name is None:  # auto-named: the suffix is random
        return ctx.marker("id"), {"name": ctx.marker("name"), "arn": ctx.marker("arn")}
    path = _text(ctx.inputs.get("path")) or "/"
    arn = f"arn:aws:iam::{ctx.account}:role{path}{name}" if ctx.account else ctx.marker("arn")
    return name, {"name": name, "arn": arn}


def _regional_arn(service: str, resource: Callable[[str], str], key: str) -> Derivation:
    def derive(ctx: Context) -> tuple[str, dict[str, object]]:
        name = _text(ctx.inputs.get(key))
        if name is None or not ctx.account or not ctx.region:
            return "", {"arn": ctx.marker("arn")}
        return name, {"arn": f"arn:aws:{service}:{ctx.region}:{ctx.account}:{resource(name)}"}
    return derive


def _unknown(id_output: str | None, *outputs: str) -> Derivation:
    def derive(ctx: Context) -> tuple[str, dict[str, object]]:
        return (ctx.marker(id_output) if id_output else ""), {o: ctx.marker(o) for o in outputs}
    return derive


# Only string outputs become markers: a number (an MSK configuration's latestRevision) stays the
# SDK's unknown, so no program arithmetic ever sees a marker.
DERIVATIONS: dict[str, Derivation] = {
    "aws:s3/bucket:Bucket": _bucket,
    "aws:iam/role:Role": _role,
    "aws:kms/alias:Alias": _regional_arn("kms", lambda name: name, "name"),
    "aws:cloudwatch/logGroup:LogGroup": _regional_arn("logs", lambda name: f"log-group:{name}", "name"),
    "aws:kms/key:Key": _unknown("keyId", "keyId", "arn"),
    "aws:msk/configuration:Configuration": _unknown("arn", "arn"),
    "aws:msk/cluster:Cluster": _unknown(
        "arn", "arn", "clusterUuid", "bootstrapBrokers", "bootstrapBrokersTls", "bootstrapBrokersSaslIam",
        "bootstrapBrokersSaslScram", "zookeeperConnectString"),
}


def derived_outputs(type_: str, urn: str, inputs: Mapping[str, object], account: str | None,
                    region: str | None) -> tuple[str, dict[str, object]]:
    """(id, derived outputs) of a new resource of `type_` in preview; ("", {}) when `type_` derives
    nothing. Derivations read known text inputs only (`_text`), so `inputs` may hold just those."""
    derive = DERIVATIONS.get(type_)
    if derive is None:
        return "", {}
    return derive(Context(urn, inputs, account, region))

