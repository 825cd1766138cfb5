"""Each spec kind's own check (one object against the whole platform, e.g. a stream's
replicationFactor against its cluster's broker count), as its domain declares it (`Kind.check`), and the
spec pipeline that ends with them: `load_layers` = the spec phase (schemas, references, typed objects) + these.

They run here and not in the spec phase because several use their domain's rules, which read the spec
model: spec -> checks, never back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from importlib import import_module
from pathlib import Path

from ..domains import kind_check, kinds
from ..errors import Problem, SpecError, errors_only
from ..spec.loader import Loaded, read_layers, stack_layers
from ..spec.model import Declared, Finding, PlatformSpec

ObjectCheck = Callable[[Declared, PlatformSpec], Iterable[Finding]]


def _resolve(target: tuple[str, str] | None) -> ObjectCheck | None:
    return getattr(import_module(target[0]), target[1]) if target else None


OBJECT_CHECKS: dict[str, ObjectCheck | None] = {kind.name: _resolve(kind_check(kind)) for kind in kinds()}
"""Every kind of streamplane.spec.kinds.KINDS, with its check (None: the schema says it all)."""


def object_problems(spec: PlatformSpec) -> list[Problem]:
    """The located findings of every object's own check."""
    problems: list[Problem] = []
    for obj in spec:
        check = OBJECT_CHECKS[obj.kind]
        for finding in (check(obj, spec) if check else ()):
            derived = frozenset().union(*(obj.source.locations_under(p) for p in finding.derived_from))
            problems.append(Problem(obj.source.locate(finding.pointer), finding.pointer, finding.message, finding.level,
                                    derived_from=derived))
    return problems


def load_layers(layers: list[Path], environment: str) -> Loaded:
    """Load and validate a stack made of `layers` (base first): the spec phase, then every object's
    check. Raises SpecError listing every error."""
    loaded = read_layers(layers, environment)
    problems = loaded.warnings + object_problems(loaded.spec)
    if errors_only(problems):
        raise SpecError(problems)
    return Loaded(spec=loaded.spec, warnings=sorted(problems, key=Problem.sort_key))


def load_stack(stacks_dir: Path, environment: str) -> Loaded:
    """`--stack ENV`: stacks/base overlaid with stacks/ENV."""
    return load_layers(stack_layers(stacks_dir, environment), environment)
