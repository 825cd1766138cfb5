"""What a command works on: `--stack ENV` (stacks/base + stacks/ENV) or explicit `--spec DIR...` layers."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .checks import load_layers
from .paths import display_path, project_root
from .risks.assess import require_known_acknowledgements
from .shards import Shard, shard_of_stack
from .spec.loader import Loaded, stack_layers
from .synth import synth_spec


@dataclass(frozen=True)
class Target:
    """Spec layers (base first) and the stack name whose Pulumi config applies to them; `shard`: the
    stack is one of a sharded environment (its layers are the environment's)."""

    layers: tuple[Path, ...]
    stack: str
    stacks_dir: Path
    shard: Shard | None = None

    @property
    def label(self) -> str:
        return " + ".join(display_path(p) for p in self.layers)

    @property
    def environment(self) -> str:
        return self.shard.environment if self.shard is not None else self.stack

    def load(self) -> Loaded:
        """The merged, validated spec; an acknowledgement of a risk code that cannot fire there is an error."""
        loaded = load_layers(list(self.layers), self.environment)
        require_known_acknowledgements(loaded.spec)
        return loaded

    def synth(self, loaded: Loaded | None = None, workers: int | None = None) -> dict:
        """The stack's graph; a large stack is synthesized by partition in at most `workers` worker
        processes (default: synth.workers.worker_count())."""
        loaded = loaded or self.load()
        return synth_spec(loaded.spec, self.stack, self.stacks_dir, workers=workers)


def resolve(stack: str | None, spec_dirs: tuple[str, ...], root: Path | None = None) -> Target:
    """`--spec` layers win; their stack name is the last layer's folder name (stacks/dev -> dev), so
    the matching stacks/Pulumi.<name>.yaml config applies. Default: `--stack dev`."""
    root = root or project_root()
    stacks_dir = root / "stacks"
    if spec_dirs:
        layers = tuple(Path(d) for d in spec_dirs)
        return Target(layers, stack or layers[-1].resolve().name, stacks_dir)
    name = stack or "dev"
    shard = shard_of_stack(stacks_dir, name)
    return Target(tuple(stack_layers(stacks_dir, shard.environment if shard else name)), name, stacks_dir, shard)
