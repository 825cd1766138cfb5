"""platform-stateful-require-protect: stateful resources carry Pulumi `protect` (on in prod by pack config)."""

from __future__ import annotations

from pulumi_policy import PolicyConfigSchema, ResourceValidationArgs

from streamplane.platform.rules import types

from ..support import config, resource_policy

DEFAULT_STATEFUL_TYPES = (*types.BUCKET_TYPES, types.KMS_KEY, types.MSK_CLUSTER, types.KAFKA_TOPIC)


def check(args: ResourceValidationArgs):
    if args.resource_type in config(args, "types", list(DEFAULT_STATEFUL_TYPES)) and not args.opts.protect:
        yield (f'{args.resource_type} "{args.name}" holds state but is not protected: deleting it loses data; '
               "set `protect: true` on its spec or streamplane:protect in the stack config.")


POLICY = resource_policy(
    "platform-stateful-require-protect",
    "Stateful resources (buckets, keys, MSK clusters, topics) must be protected from deletion.",
    None, check,
    config_schema=PolicyConfigSchema({"types": {
        "type": "array", "items": {"type": "string"}, "default": list(DEFAULT_STATEFUL_TYPES),
        "description": "Resource types that hold state."}}))
