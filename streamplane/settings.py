"""Per-environment platform settings, read from the stack's Pulumi config (stacks/Pulumi.<env>.yaml).

The same code path serves `pulumi up` (the engine passes the config) and the offline synth (which
reads the same file and hands it to the mock runtime), so both see identical settings.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pulumi

CONFIG_NAMESPACE = "streamplane"

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
    objects: Mapping[str, Any] | None = field(default=None, hash=False, compare=False, repr=False)
    """Every structured `streamplane:*` value, parsed once (None: read the runtime config on demand,
    for unit tests that build settings by hand and pass the config to the mock runtime)."""
    config_file: str | None = field(default=None, hash=False, compare=False)
    """The stack config file these settings were read from (display path), for located problems."""
    config_lines: tuple[str, ...] = field(default=(), hash=False, compare=False, repr=False)

    @classmethod
    def from_config_map(cls, config: Mapping[str, str], stack: str, *, config_file: str | None = None,
                        config_lines: tuple[str, ...] = ()) -> StackSettings:
        """Settings from an engine-style config map ("streamplane:key" -> string or JSON text), with no
        Pulumi runtime: what the check phase, synth and the program all use."""
        values: dict[str, Any] = {}
        prefix = f"{CONFIG_NAMESPACE}:"
        for key, text in config.items():
            if not key.startswith(prefix):
                continue
            try:
                values[key[len(prefix):]] = json.loads(text)
            except ValueError:
                values[key[len(prefix):]] = text
        tags = values.get("tags")
        return cls(
            environment=str(values.get("environment") or stack),
            protect=values.get("protect") is True,
            bucket_prefix=str(values.get("bucketPrefix") or DEFAULT_BUCKET_PREFIX),
            tags=dict(tags) if isinstance(tags, dict) else {},
            objects=values,
            config_file=config_file,
            config_lines=config_lines,
        )

    @classmethod
    def from_config(cls, stack: str | None = None) -> StackSettings:
        """The running program's settings: the runtime's whole config map, read once."""
        from_runtime = {key: str(value) for key, value in pulumi.runtime.config.CONFIG.get().items()}
        env = pulumi.runtime.config.get_config_env() or {}
        merged = {**{k: str(v) for k, v in env.items()}, **from_runtime}
        return cls.from_config_map(merged, stack or pulumi.get_stack())

    def object(self, key: str) -> dict:
        """A structured config value of the streamplane namespace (e.g. `network`), or {}."""
        if self.objects is None:
            return pulumi.Config(CONFIG_NAMESPACE).get_object(key) or {}
        value = self.objects.get(key)
        return value if isinstance(value, dict) else {}

    def base_tags(self, owner: str, labels: dict | None = None) -> dict:
        """Tags for an AWS resource of `owner`: owner, environment, managed-by, then user tags and labels."""
        return {**self.tags, **(labels or {}), "owner": owner, "environment": self.environment, "managed-by": MANAGED_BY_TAG}
