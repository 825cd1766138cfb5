"""Read a stack's Pulumi config file (stacks/Pulumi.<env>.yaml) the way the engine hands it to a program.

Used only by the offline synth: `pulumi up` reads the file itself. Keys without a namespace belong
to the project ("streamplane:"); structured values are passed as JSON, as the engine does.
`secure:` values cannot be decrypted offline: they become the secret placeholder, still marked secret.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from . import PROJECT
from .errors import Location, Problem, SpecError
from .paths import display_path
from .settings import StackSettings

SECRET_PLACEHOLDER = "<secret>"


def config_file(stacks_dir: Path, stack: str) -> Path:
    return stacks_dir / f"Pulumi.{stack}.yaml"


def _as_config_string(value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, sort_keys=True)


def _contains_secure(value) -> bool:
    if isinstance(value, dict):
        return set(value) == {"secure"} or any(_contains_secure(v) for v in value.values())
    if isinstance(value, list):
        return any(_contains_secure(v) for v in value)
    return False


def _mask_secure(value):
    if isinstance(value, dict):
        if set(value) == {"secure"}:
            return SECRET_PLACEHOLDER
        return {k: _mask_secure(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask_secure(v) for v in value]
    return value


def load_stack_config(stacks_dir: Path, stack: str) -> tuple[dict[str, str], list[str]]:
    """(config map "namespace:key" -> string, secret keys). A missing file means no config."""
    path = config_file(stacks_dir, stack)
    if not path.is_file():
        return {}, []
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = Location(display_path(path), mark.line + 1, mark.column + 1) if mark else Location(display_path(path), 1, 1)
        raise SpecError([Problem(where, "", f"invalid YAML in stack config: {getattr(err, 'problem', err)}")]) from None
    raw = document.get("config") or {}
    if not isinstance(raw, dict):
        raise SpecError([Problem(Location(display_path(path), 1, 1), "/config", "config must be a mapping of keys to values.")])
    config: dict[str, str] = {}
    secret_keys: list[str] = []
    for key, value in raw.items():
        full_key = key if ":" in key else f"{PROJECT}:{key}"
        if _contains_secure(value):
            secret_keys.append(full_key)
        config[full_key] = _as_config_string(_mask_secure(value))
    return config, sorted(secret_keys)


def load_stack_settings(stacks_dir: Path, stack: str) -> StackSettings:
    """The stack's settings, parsed once from stacks/Pulumi.<stack>.yaml (what the check phase and synth see)."""
    config, _ = load_stack_config(stacks_dir, stack)
    path = config_file(stacks_dir, stack)
    lines = tuple(path.read_text(encoding="utf-8").splitlines()) if path.is_file() else ()
    return StackSettings.from_config_map(config, stack, config_file=display_path(path), config_lines=lines)
