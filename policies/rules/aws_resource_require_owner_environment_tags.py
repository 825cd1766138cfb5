"""aws-resource-require-owner-environment-tags: taggable AWS resources carry owner and environment tags."""

from __future__ import annotations

from collections.abc import Mapping

from pulumi_policy import PolicyConfigSchema, ResourceValidationArgs

from streamplane.platform.rules import types

from ..support import config, get, is_unknown, resource_policy

DEFAULT_REQUIRED_TAGS = ("owner", "environment")
# Resources this platform creates that accept tags but may be written without any.
TAGGABLE_TYPES = frozenset({
    *types.BUCKET_TYPES, types.KMS_KEY, types.MSK_CLUSTER,
    "aws:msk/serverlessCluster:ServerlessCluster", "aws:iam/role:Role", "aws:iam/policy:Policy",
    "aws:ec2/securityGroup:SecurityGroup", types.LOG_GROUP, "aws:secretsmanager/secret:Secret",
})


def _tags(args: ResourceValidationArgs) -> dict | None:
    """Resource tags over the provider's defaultTags; None when unknown."""
    merged: dict = {}
    for source in (get(args.provider.props, "defaultTags", "tags") if args.provider else None,
                   get(args.props, "tags")):
        if is_unknown(source):
            return None
        if isinstance(source, Mapping):
            merged.update({k: get(source, k) for k in source})
    return merged


def check(args: ResourceValidationArgs):
    if not args.resource_type.startswith("aws:"):
        return
    if args.resource_type not in TAGGABLE_TYPES and get(args.props, "tags") is None:
        return
    tags = _tags(args)
    if tags is None:
        return
    required = list(config(args, "requiredTags", list(DEFAULT_REQUIRED_TAGS)))
    missing = [t for t in required if not tags.get(t)]
    if missing:
        yield (f'{args.resource_type} "{args.name}" has no {", ".join(missing)} tag: add tags '
               f"{', '.join(missing)} (settings.base_tags(owner) gives both).")
    environment = config(args, "environment", None)
    value = tags.get("environment")
    if environment and isinstance(value, str) and value and value != environment:
        yield (f'{args.resource_type} "{args.name}" is tagged environment={value} in the {environment} stack: '
               f"tag it environment={environment}.")


POLICY = resource_policy(
    "aws-resource-require-owner-environment-tags",
    "Taggable AWS resources must carry owner and environment tags.",
    None, check,
    config_schema=PolicyConfigSchema({
        "requiredTags": {"type": "array", "items": {"type": "string"}, "default": list(DEFAULT_REQUIRED_TAGS),
                         "description": "Tags every taggable AWS resource must have."},
        "environment": {"type": "string", "description": "When set, the environment tag must equal it."}}))
