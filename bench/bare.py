"""The bare baseline: a synth graph's registrations replayed as a hand-written Pulumi program would make
them, with the same typed classes (pulumi_aws, pulumi_kafka, pulumi_kubernetes, pulumi_random), the
same explicit providers, parents, dependencies and resource options, and the same inputs, but none of
streamplane's logic (no spec, no checks, no components' code, no Output chains).

The class of each type token is the one the program itself uses (recorded from a synthesis of the
dev stack, `--classes`); top-level inputs go to the typed constructor under their Python names, nested
values as the wire's camelCase dicts (the SDK keeps keys its input types do not know, pulumi
runtime/rpc.py serialize_property). Default providers are left to the SDK, as in any program.
Values unknown in the graph (`<computed...>`) are replayed as their text, secrets as secret Outputs.

Two runtimes, same mocks (streamplane.synth.capture.OfflineMocks):
- `stock`: the SDK as it comes (pulumi.runtime.mocks.MockMonitor, default gc, source positions);
- `tuned`: streamplane's offline runtime (run_offline: the echoing capture, gc tuning, no source
  positions, the graph built at the end): only the program differs from a streamplane synth.

    python bench/bare.py --graph head.json --runtime stock     # one timed replay, JSON on stdout
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import json
import re
import resource
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SECRET = "<secret>"
PROVIDER_PREFIX = "pulumi:providers:"
DEFAULT_PROVIDER_PREFIX = "default_"


def record_classes() -> dict[str, str]:
    """type token -> "module:qualname" of the class the program registers it with (dev stack synth)."""
    import pulumi.resource

    from streamplane.checks import load_stack
    from streamplane.synth import synth_spec

    seen: dict[str, str] = {}
    original = pulumi.resource.Resource.__init__

    def recording(self, t, name, *args, **kwargs):
        cls = type(self)
        if isinstance(self, (pulumi.CustomResource, pulumi.ProviderResource)):
            seen.setdefault(t, f"{cls.__module__}:{cls.__qualname__}")
        return original(self, t, name, *args, **kwargs)

    pulumi.resource.Resource.__init__ = recording  # type: ignore[method-assign]
    try:
        for stack in ("dev", "prod"):
            synth_spec(load_stack(ROOT / "stacks", stack).spec, stack, ROOT / "stacks")
    finally:
        pulumi.resource.Resource.__init__ = original  # type: ignore[method-assign]
    return seen


def _load(path: str) -> type:
    module, qualname = path.split(":")
    found: Any = importlib.import_module(module)
    for part in qualname.split("."):
        found = getattr(found, part)
    return found


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


class Constructor:
    """How to call one typed class with a graph entry's camelCase top-level inputs."""

    def __init__(self, cls: type) -> None:
        self.cls = cls
        init = getattr(cls, "_internal_init", None) or getattr(cls, "__init__")  # noqa: B009
        params = inspect.signature(init).parameters
        self.names = {p for p in params if p not in ("self", "__self__", "resource_name", "opts")
                      and not p.startswith("__")}
        self.loose = {n.replace("_", ""): n for n in self.names}
        self.is_provider = issubclass(cls, __import__("pulumi").ProviderResource)
        self.dropped: set[str] = set()

    def kwargs(self, inputs: dict) -> dict:
        out = {}
        for key, value in inputs.items():
            name = _snake(key)
            if name not in self.names:
                name = self.loose.get(key.lower().replace("_", ""), "")
            if not name:
                self.dropped.add(key)  # set by the SDK or the class itself (a provider's version)
                continue
            out[name] = _provider_value(value) if self.is_provider else value
        return out


def _provider_value(value: Any) -> Any:
    """A provider's non-string inputs travel as JSON text (the typed class encodes them): decode them."""
    if not isinstance(value, str):
        return value
    try:
        decoded = json.loads(value)
    except ValueError:
        return value
    return value if isinstance(decoded, str) else decoded


def _value(value: Any) -> Any:
    import pulumi

    if value == SECRET:
        return pulumi.Output.secret(SECRET)
    if isinstance(value, dict):
        return {k: _value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_value(v) for v in value]
    return value


def replay_program(graph: dict, classes: dict[str, str]):
    """A Pulumi program registering the graph's resources (the stack and default providers aside)."""
    import pulumi

    resources = {r["urn"]: r for r in graph["resources"] if r["type"] != "pulumi:pulumi:Stack"
                 and not (r["type"].startswith(PROVIDER_PREFIX) and r["name"].startswith(DEFAULT_PROVIDER_PREFIX))}
    missing = sorted({r["type"] for r in resources.values() if r["custom"] and r["type"] not in classes})
    if missing:
        raise SystemExit(f"no recorded class for {', '.join(missing)}")
    constructors = {t: Constructor(_load(path)) for t, path in classes.items()}

    def program() -> None:
        made: dict[str, pulumi.Resource] = {}

        def make(urn: str) -> pulumi.Resource | None:
            if urn not in resources:
                return None
            if urn in made:
                return made[urn]
            entry = resources[urn]
            parent = make(entry["parent"]) if entry["parent"] else None
            provider = make(entry["provider"]) if entry.get("provider") else None
            assert provider is None or isinstance(provider, pulumi.ProviderResource), entry["provider"]
            depends = [d for d in (make(u) for u in entry["dependencies"]) if d is not None]
            opts = pulumi.ResourceOptions(parent=parent, provider=provider, depends_on=depends or None,
                                          protect=entry["protect"] or None,
                                          retain_on_delete=entry["retainOnDelete"] or None,
                                          delete_before_replace=entry["deleteBeforeReplace"] or None,
                                          aliases=list(entry.get("aliases") or []) or None)
            if entry["custom"]:
                constructor = constructors[entry["type"]]
                made[urn] = constructor.cls(entry["name"], opts=opts, **_value(constructor.kwargs(entry["inputs"])))
            else:
                component = pulumi.ComponentResource(entry["type"], entry["name"], None, opts)
                component.register_outputs({})
                made[urn] = component
            return made[urn]

        for urn in resources:
            make(urn)

    return program, constructors


def replay(graph_file: str, classes_file: str, runtime: str) -> dict:
    from pulumi.runtime import mocks
    from pulumi.runtime import settings as runtime_settings
    from pulumi.runtime.config import set_all_config
    from pulumi.runtime.stack import run_pulumi_func
    from pulumi.runtime.sync_await import _sync_await

    from streamplane.stackconfig import load_stack_config
    from streamplane.synth import run_offline
    from streamplane.synth.capture import OfflineMocks

    graph = json.loads(Path(graph_file).read_text(encoding="utf-8"))
    classes = json.loads(Path(classes_file).read_text(encoding="utf-8"))
    config, secrets = load_stack_config(ROOT / "stacks", graph["stack"])
    program, constructors = replay_program(graph, classes)
    wall, cpu = time.perf_counter(), time.process_time()
    if runtime == "tuned":
        replayed = len(run_offline(program, graph["stack"], config, secrets)["resources"])
    else:
        runtime_settings.ROOT.set(None)
        set_all_config(config, secrets)
        monitor = mocks.MockMonitor(OfflineMocks())
        mocks.set_mocks(monitor.mocks, project=graph["project"], stack=graph["stack"], preview=True, monitor=monitor)
        _sync_await(run_pulumi_func(program))
        replayed = len(monitor.resources)
    return {"runtime": runtime, "cpu_s": time.process_time() - cpu, "wall_s": time.perf_counter() - wall,
            "resources": len(graph["resources"]), "replayed": replayed,
            "dropped_inputs": sorted({f"{t}.{k}" for t, c in constructors.items() for k in c.dropped}),
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--graph", help="A synth graph (JSON) to replay.")
    parser.add_argument("--classes", required=True, help="The type -> class map (written first if absent).")
    parser.add_argument("--runtime", choices=["stock", "tuned"], default="stock")
    args = parser.parse_args()
    classes = Path(args.classes)
    if not classes.is_file():
        classes.write_text(json.dumps(record_classes(), indent=1, sort_keys=True), encoding="utf-8")
    if args.graph:
        print(json.dumps(replay(args.graph, args.classes, args.runtime)))


if __name__ == "__main__":
    main()
