"""The platform around each change: which spec object a resource belongs to, its owner, and the
facts hazards need (stream schemas, broker counts, job statefulness, Druid tiers).

Built from the head and base graphs and, when the plan comes from specs, the two PlatformSpecs.
A review of a `pulumi preview` file has only resources: then the owner comes from tags, labels or
the Kubernetes namespace, and facts that only a spec knows are reported as unknown, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from policies.support import runtime_properties

from ..spec.model import Declared, PlatformSpec
from .model import Change, Subject

COMPONENT_PREFIX = "streamplane:index:"
STATEFUL_UPGRADE_MODES = ("savepoint", "last-state")
# Flink 1.20 renamed state.checkpoints.dir to execution.checkpointing.dir (the old key stays a
# deprecated fallback; apache/flink CheckpointingOptions.CHECKPOINTS_DIRECTORY). The new key wins.
CHECKPOINT_DIR_KEYS = ("execution.checkpointing.dir", "state.checkpoints.dir")
DEFAULT_DRUID_TIER = "_default_tier"


def checkpoint_dir(config: dict[str, object]) -> object | None:
    """The checkpoint directory a flat Flink configuration names, under either spelling."""
    return next((config[key] for key in CHECKPOINT_DIR_KEYS if config.get(key)), None)


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
    """Lookups shared by every hazard rule. `head`/`base` are graphs ({"resources": [...]})."""

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

    def brokers(self, cluster: str | None) -> int | None:
        """Broker count of a KafkaCluster from the head spec (None when unknown)."""
        declared = self.spec_object("KafkaCluster", cluster) if cluster else None
        return getattr(declared.spec, "brokers", None) if declared else None

    def stream(self, name: str, side: str = "head") -> Declared | None:
        return self.spec_object("Stream", name, side)

    def job_is_stateful(self, change: Change) -> bool | None:
        """Whether the job behind a FlinkDeployment keeps state. Evidence in order: the FlinkJob spec
        (`stateful`, else its upgradeMode); a Route is a stateless router; else the deployment that
        runs now (an upgradeMode that keeps state, or a checkpoint dir). None: unknown."""
        subject = change.subject
        if subject and subject.kind == "Route":
            return False
        if subject and subject.kind == "FlinkJob":
            declared = self.spec_object("FlinkJob", subject.name, "base") or self.spec_object("FlinkJob", subject.name)
            if declared is not None:
                stateful = getattr(declared.spec, "stateful", None)
                if isinstance(stateful, bool):
                    return stateful
                mode = getattr(declared.spec, "upgrade_mode", None)
                if isinstance(mode, str):
                    return mode in STATEFUL_UPGRADE_MODES
        running = change.inputs("before") or change.inputs("after")
        spec = running.get("spec") or {}
        if (spec.get("job") or {}).get("upgradeMode") in STATEFUL_UPGRADE_MODES:
            return True
        config = flatten_config(spec.get("flinkConfiguration"))
        if any(config.get(key) for key in CHECKPOINT_DIR_KEYS):
            return True
        return None

    def druid_tiers(self) -> dict[str, int]:
        """Historicals per tier in the head graph's Druid clusters (druid-operator `Druid` CRs)."""
        return self.once("druid-tiers", self._count_druid_tiers)

    def _count_druid_tiers(self) -> dict[str, int]:
        tiers: dict[str, int] = {}
        for resource in self.head_resources.values():
            if not str(resource.get("type", "")).startswith("kubernetes:druid.apache.org/") or not resource["type"].endswith(":Druid"):
                continue
            nodes = ((resource.get("inputs") or {}).get("spec") or {}).get("nodes") or {}
            for node in nodes.values():
                if not isinstance(node, dict) or node.get("nodeType") != "historical":
                    continue
                tier = runtime_properties(node.get("runtime.properties")).get("druid.server.tier", DEFAULT_DRUID_TIER)
                replicas = node.get("replicas", 1)
                tiers[tier] = tiers.get(tier, 0) + (replicas if isinstance(replicas, int) else 0)
        return tiers


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
