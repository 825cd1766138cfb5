"""Spec pipeline: YAML with line numbers -> overlay merge -> schema + reference checks -> typed objects."""

from .loader import Loaded, load_layers, load_stack, stack_layers
from .model import Declared, Finding, KindDef, ObjectMeta, PlatformSpec

__all__ = ["Declared", "Finding", "KindDef", "Loaded", "ObjectMeta", "PlatformSpec", "load_layers", "load_stack", "stack_layers"]
