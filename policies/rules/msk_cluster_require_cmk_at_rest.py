"""msk-cluster-require-cmk-at-rest: MSK encrypts data at rest with a customer-managed KMS key."""

from __future__ import annotations

from pulumi_policy import ResourceValidationArgs

from ..support import get, resource_policy
from ._msk import MSK_CLUSTER


def check(args: ResourceValidationArgs):
    if get(args.props, "encryptionInfo", "encryptionAtRestKmsKeyArn") is None:
        yield (f'MSK cluster "{args.name}" encrypts data at rest with the AWS-managed key: set '
               "encryptionInfo.encryptionAtRestKmsKeyArn to a customer-managed KMS key (set it at creation: "
               "changing it replaces the cluster).")


POLICY = resource_policy(
    "msk-cluster-require-cmk-at-rest",
    "MSK clusters must encrypt data at rest with a customer-managed KMS key.",
    [MSK_CLUSTER], check)
