"""Per-environment platform settings, read from the stack's Pulumi config (stacks/Pulumi.<env>.yaml).

The same code path serves `pulumi up` (the engine passes the config) and the offline synth (which
reads the same file and hands it to the mock runtime), so both see identical settings.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pulumi

DEFAULT_BUCKET_PREFIX = "streamplane"
MANAGED_BY_TAG = "streamplane"


@dataclass(frozen=True)
class StackSettings:
    """Platform-wide settings of one stack.

    environment   -- `streamplane:environment`; default: the stack name.
    protect       -- `streamplane:protect`; default false. When true, stateful resources (stores,
                     topics, ...) get Pulumi `protect`, so the engine refuses to delete them.
    bucket_prefix -- `streamplane:bucketPrefix`; default "streamplane". S3 names are global, so
                     set your organisation's prefix.
    tags          -- `streamplane:tags`; extra tags on every AWS resource. Default: none.
    """

    environment: str
    protect: bool = False
    bucket_prefix: str = DEFAULT_BUCKET_PREFIX
    tags: dict = field(default_factory=dict, hash=False)

    @classmethod
    def from_config(cls, stack: str | None = None) -> StackSettings:
        config = pulumi.Config("streamplane")
        return cls(
            environment=config.get("environment") or stack or pulumi.get_stack(),
            protect=config.get_bool("protect") or False,
            bucket_prefix=config.get("bucketPrefix") or DEFAULT_BUCKET_PREFIX,
            tags=config.get_object("tags") or {},
        )

    def object(self, key: str) -> dict:
        """A structured config value of the streamplane namespace (e.g. `network`), or {}."""
        return pulumi.Config("streamplane").get_object(key) or {}

    def base_tags(self, owner: str, labels: dict | None = None) -> dict:
        """Tags for an AWS resource of `owner`: owner, environment, managed-by, then user tags and labels."""
        return {**self.tags, **(labels or {}), "owner": owner, "environment": self.environment, "managed-by": MANAGED_BY_TAG}
