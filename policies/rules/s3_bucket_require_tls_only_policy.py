"""s3-bucket-require-tls-only-policy: every S3 bucket's policy denies requests made without TLS."""

from __future__ import annotations

import json

from pulumi_policy import StackValidationArgs

from ..support import get, is_unknown, stack_policy
from ._s3 import POLICY_TYPES, buckets, companions


def denies_insecure_transport(document) -> bool:
    """A statement Deny-ing any action when aws:SecureTransport is false."""
    if isinstance(document, str):
        try:
            document = json.loads(document)
        except ValueError:
            return False
    statements = document.get("Statement", []) if isinstance(document, dict) else []
    statements = [statements] if isinstance(statements, dict) else statements
    for statement in statements:
        secure = (statement.get("Condition") or {}).get("Bool", {}).get("aws:SecureTransport")
        if statement.get("Effect") == "Deny" and str(secure).lower() == "false":
            return True
    return False


def check(args: StackValidationArgs):
    for bucket in buckets(args):
        documents = [get(p.props, "policy") for p in companions(args, bucket, POLICY_TYPES)]
        # The document usually embeds the bucket's ARN, so during preview it is unknown: a policy
        # whose text is not known yet counts as present (the real `up` re-runs the pack with values).
        if not any(is_unknown(d) or denies_insecure_transport(d) for d in documents):
            yield bucket.urn, (f'S3 bucket "{bucket.name}" accepts requests without TLS: add a BucketPolicy with a Deny '
                               'statement on s3:* when "aws:SecureTransport" is "false".')


POLICY = stack_policy(
    "s3-bucket-require-tls-only-policy",
    "S3 buckets must have a bucket policy that denies requests made without TLS.",
    check)
