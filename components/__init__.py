"""Pulumi components: one module per platform domain. Each takes typed spec objects, never raw YAML."""

TYPE_PREFIX = "streamplane:index:"
