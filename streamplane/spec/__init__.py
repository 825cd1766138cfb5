"""Spec phase: YAML with line numbers -> overlay merge -> schema + reference checks -> typed objects.

The objects' cross-object checks run in the check layer: streamplane.checks.load_layers / load_stack."""

from .loader import Loaded, read_layers, stack_layers
from .model import Declared, Finding, KindDef, ObjectMeta, PlatformSpec

__all__ = ["Declared", "Finding", "KindDef", "Loaded", "ObjectMeta", "PlatformSpec", "read_layers", "stack_layers"]
