"""The typed goal state: every spec object of one stack, after overlay merge and validation."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Generic, Literal, TypeVar

from .source import SourceDoc


@dataclass(frozen=True)
class ObjectMeta:
    """metadata of a spec object: its name (unique per kind) and owning team."""

    name: str
    owner: str
    labels: dict = field(default_factory=dict, hash=False)
    description: str = ""


@dataclass(frozen=True)
class Acknowledgement:
    """A reviewed acceptance of one risk code on one spec object, until `expires` (YYYY-MM-DD, inclusive)."""

    risk: str
    reason: str
    by: str
    expires: str

    def active(self, today: date) -> bool:
        return date.fromisoformat(self.expires) >= today

    def __str__(self) -> str:
        return f"acknowledged by {self.by}: {self.reason} (until {self.expires})"


S = TypeVar("S")


@dataclass(frozen=True)
class Declared(Generic[S]):
    """One declared object: kind, metadata, its kind-specific spec, and the document it came from."""

    kind: str
    meta: ObjectMeta
    spec: S
    source: SourceDoc = field(compare=False, hash=False, repr=False)

    @property
    def name(self) -> str:
        return self.meta.name

    @property
    def owner(self) -> str:
        return self.meta.owner

    def where(self, pointer: str = "") -> str:
        """file:line:col of a field of this object, for messages raised after validation."""
        return str(self.source.locate(pointer))


@dataclass(frozen=True)
class Finding:
    """A semantic-check result before it is located in a file: a pointer into the object's document."""

    pointer: str
    message: str
    level: Literal["error", "warning"] = "error"
    derived_from: tuple[str, ...] = ()
    """Pointers (in the same document) of the fields this finding was computed from: when one of them
    has an error of its own, this finding follows from it and is not reported (errors.root_causes)."""


@dataclass(frozen=True)
class KindDef:
    """How one spec kind is read: the dataclass of its `spec`. Its cross-object checks are not here
    (they need the rules, which read the spec model): streamplane/checks/objects.py registers them."""

    kind: str
    spec_class: type


@dataclass(frozen=True)
class PlatformSpec:
    """All objects of a stack, by kind and name, for one environment."""

    environment: str
    objects: dict = field(hash=False)

    @cached_property
    def _ordered(self) -> dict[str, tuple[Declared, ...]]:
        return {kind: tuple(by_name[name] for name in sorted(by_name)) for kind, by_name in self.objects.items()}

    def of(self, kind: str) -> tuple[Declared, ...]:
        """Objects of `kind` in name order (stable, so resource registration order is too). Sorted once:
        checks that look at every object of a kind per object stay linear in the sort."""
        return self._ordered.get(kind, ())

    @cached_property
    def _derived(self) -> dict:
        return {}

    def derived(self, key: str, build: Callable[[PlatformSpec], object]):
        """A value computed from the whole platform once (e.g. streams per cluster), shared by the
        checks of every object instead of being rebuilt for each."""
        if key not in self._derived:
            self._derived[key] = build(self)
        return self._derived[key]

    def get(self, kind: str, name: str) -> Declared | None:
        return self.objects.get(kind, {}).get(name)

    def require(self, kind: str, name: str) -> Declared:
        """An object a validated reference names: validation has proved it exists, so its absence is a bug."""
        found = self.get(kind, name)
        if found is None:
            raise LookupError(f"internal error: {kind} {name!r} is referenced but not declared (validation missed it)")
        return found

    def __iter__(self) -> Iterator[Declared]:
        for kind in sorted(self.objects):
            yield from self.of(kind)
