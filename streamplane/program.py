"""The Pulumi program: load the stack's spec, then build the platform. Shared by `pulumi up` and synth."""

from __future__ import annotations

from pathlib import Path

import pulumi

from components.platform import Platform

from .checks import require_valid
from .errors import SpecError
from .settings import StackSettings
from .spec import PlatformSpec, load_stack


def build(spec: PlatformSpec, stack: str, settings: StackSettings | None = None):
    """Create every resource of `spec` in the current Pulumi runtime (real engine or mocks), after the
    check phase: a spec with errors raises SpecError and creates nothing."""
    settings = settings or StackSettings.from_config(stack)
    for warning in require_valid(spec, settings):
        pulumi.log.warn(str(warning))
    return Platform(spec, settings)


def main(project_root: Path) -> None:
    """Entry point of __main__.py: a spec error is reported as a RunError (no traceback), nothing is created."""
    stack = pulumi.get_stack()
    try:
        loaded = load_stack(project_root / "stacks", stack)
    except SpecError as err:
        raise pulumi.RunError(f"the spec of stack {stack} is invalid:\n{err}") from None
    for warning in loaded.warnings:
        pulumi.log.warn(str(warning))
    try:
        build(loaded.spec, stack)
    except SpecError as err:
        raise pulumi.RunError(f"the spec of stack {stack} is invalid:\n{err}") from None
