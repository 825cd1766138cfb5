"""The platform's customer-managed KMS keys: one builder for every store that encrypts at rest."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

KMS_DELETION_WINDOW_DAYS = 30
"""The longest window AWS allows (7-30 days): a key scheduled for deletion by mistake can be recovered."""


def alias_name(environment: str, name: str) -> str:
    """alias/streamplane/<environment>/<name>: where to find a platform key in the console."""
    return f"alias/streamplane/{environment}/{name}"


def kms_key(name: str, *, description: str, tags: dict[str, str], opts: pulumi.ResourceOptions) -> aws.kms.Key:
    """An aws.kms.Key with rotation on and the 30-day deletion window. `opts` carries `protect`: losing
    the key loses what it encrypts."""
    return aws.kms.Key(name, description=description, enable_key_rotation=True,
                       deletion_window_in_days=KMS_DELETION_WINDOW_DAYS, tags=tags, opts=opts)


def encryption_key(name: str, *, description: str, alias: str, tags: dict[str, str],
                   key_opts: pulumi.ResourceOptions, alias_opts: pulumi.ResourceOptions) -> pulumi.Output[str]:
    """Create a kms_key and its aws.kms.Alias, both named `name`; return the key's ARN."""
    key = kms_key(name, description=description, tags=tags, opts=key_opts)
    aws.kms.Alias(name, name=alias, target_key_id=key.key_id, opts=alias_opts)
    return key.arn
