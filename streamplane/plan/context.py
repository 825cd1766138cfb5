"""The platform around each change: which spec object a resource belongs to, its owner, and the
lookups the domains' facts are built on (streamplane/<domain>/facts.py: stream schemas, broker counts,
job statefulness, Druid tiers).

Built from the head and base graphs and, when the plan comes from specs, the two PlatformSpecs.
A review of a `pulumi preview` file has only resources: then the owner comes from tags, labels or
the Kubernetes namespace, and facts that only a spec knows are reported as unknown, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..spec.model import Declared, PlatformSpec
from .model import Change, Subject

COMPONENT_PREFIX = "streamplane:index:"


def flatten_config(config, prefix: str = "") -> dict[str, object]:
    """Flink and Druid accept nested or dotted config keys; compare them flat (`state.checkpoints.dir`)."""
    if not isinstance(config, dict):
        return {}
    flat: dict[str, object] = {}
    for key, value in config.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict):
            flat.update(flatten_config(value, name))
        else:
            flat[name] = value
    return flat


@dataclass
class PlanContext:
    """Lookups shared by every hazard rule. `head`/`base` are graphs ({"resources": [...]}). What a
    domain knows (a stream, a job's state, a tier's size) is its facts module's, built on these."""

    head_resources: dict[str, dict] = field(default_factory=dict)
    base_resources: dict[str, dict] = field(default_factory=dict)
    head_spec: PlatformSpec | None = None
    base_spec: PlatformSpec | None = None
    memo: dict = field(default_factory=dict, repr=False, compare=False)
    """Results the rules share within one plan (per-change verdicts, platform-wide tallies)."""

    def once(self, key, build):
        """`build()` computed once per plan for `key`: rules asking the same question share the answer."""
        if key not in self.memo:
            self.memo[key] = build()
        return self.memo[key]

    @classmethod
    def of(cls, head: dict | None, base: dict | None, head_spec: PlatformSpec | None = None,
           base_spec: PlatformSpec | None = None) -> PlanContext:
        index = lambda graph: {r["urn"]: r for r in (graph or {}).get("resources", [])}  # noqa: E731
        return cls(index(head), index(base), head_spec, base_spec)

    @classmethod
    def from_changes(cls, changes: list[Change]) -> PlanContext:
        """A context from the resources a change list carries (review of a preview file)."""
        ctx = cls()
        for change in changes:
            if change.after:
                ctx.head_resources[change.urn] = change.after
            if change.before:
                ctx.base_resources[change.urn] = change.before
        return ctx

    def resource(self, urn: str | None, side: str = "head") -> dict | None:
        if not urn:
            return None
        first, second = (self.head_resources, self.base_resources) if side == "head" else (self.base_resources, self.head_resources)
        return first.get(urn) or second.get(urn)

    def component_of(self, change: Change) -> dict | None:
        """The outermost streamplane component above the change's resource (or the resource itself).

        Components of spec objects sit directly under the stack; components they build inside
        themselves (a Route's router FlinkJob) are parts of that object, so the outermost one names it.
        """
        side = "base" if change.action == "delete" else "head"
        entry = change.after if side == "head" else change.before
        found = None
        seen: set[str] = set()
        while entry and entry.get("urn") not in seen:
            seen.add(str(entry.get("urn")))
            if str(entry.get("type", "")).startswith(COMPONENT_PREFIX):
                found = entry
            parent = entry.get("parent")
            entry = self.resource(parent, side) or _component_from_urn(parent)
        return found

    def spec_object(self, kind: str, name: str, side: str = "head") -> Declared | None:
        specs = (self.head_spec, self.base_spec) if side == "head" else (self.base_spec, self.head_spec)
        for spec in specs:
            if spec is not None:
                found = spec.get(kind, name)
                if found is not None:
                    return found
        return None

    def subject(self, change: Change) -> Subject | None:
        """The spec object (kind, name, owner) a change belongs to, or None for platform plumbing."""
        component = self.component_of(change)
        if component is None:
            owner = _owner_from_inputs(change.inputs("after") or change.inputs("before"))
            return Subject("Resource", change.name, owner) if owner else None
        kind = component["type"][len(COMPONENT_PREFIX):]
        name = component.get("name") or component["urn"].rsplit("::", 1)[-1]
        declared = self.spec_object(kind, name, "base" if change.action == "delete" else "head")
        owner = declared.owner if declared else _owner_from_inputs(change.inputs("after") or change.inputs("before"))
        return Subject(kind, name, owner)

    def attach_subjects(self, changes: list[Change]) -> None:
        for change in changes:
            if change.subject is None:
                change.subject = self.subject(change)

    def environment(self) -> str | None:
        """The environment the plan is for (the head spec's, else the base's); None when no spec is known."""
        spec = self.head_spec or self.base_spec
        return getattr(spec, "environment", None) if spec is not None else None


def _component_from_urn(urn: str | None) -> dict | None:
    """A parent known only by its URN (a preview without --show-sames omits unchanged components):
    its type is the last link of the URN's type chain, its name the URN's tail."""
    if not urn or urn.count("::") < 3:
        return None
    type_chain, name = urn.split("::", 3)[2:]
    type_ = type_chain.rsplit("$", 1)[-1]
    if not type_.startswith(COMPONENT_PREFIX):
        return None
    return {"urn": urn, "type": type_, "name": name, "parent": None}


def _owner_from_inputs(inputs: dict) -> str | None:
    """The owner recorded on the resource itself: AWS `tags.owner`, a Kubernetes owner label, or the
    namespace (each owner's Kubernetes objects live in its own namespace)."""
    tags = inputs.get("tags")
    if isinstance(tags, dict) and isinstance(tags.get("owner"), str):
        return tags["owner"]
    metadata = inputs.get("metadata")
    if isinstance(metadata, dict):
        labels = metadata.get("labels") or {}
        for key in ("streamplane.io/owner", "owner"):
            if isinstance(labels, dict) and isinstance(labels.get(key), str):
                return labels[key]
        if isinstance(metadata.get("namespace"), str):
            return metadata["namespace"]
    return None
