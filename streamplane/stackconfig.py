"""Read a stack's Pulumi config file (stacks/Pulumi.<env>.yaml) the way the engine hands it to a program.

Used only by the offline synth: `pulumi up` reads the file itself. Keys without a namespace belong
to the project ("streamplane:"); structured values are passed as JSON, as the engine does.
`secure:` values cannot be decrypted offline: they become the secret placeholder, still marked secret.
"""

from __future__ import annotations

import json
from pathlib import Path

from . import PROJECT
from .errors import Location, Problem, SpecError
from .paths import display_path
from .settings import StackSettings
from .spec.schema import validate_against
from .spec.source import SourceDoc, escape_pointer_token, escape_text, join_pointer, load_text

SECRET_PLACEHOLDER = "<secret>"
STACK_CONFIG_SCHEMA = "stack-config.json"
"""Its top-level keys besides config (secretsprovider, encryptedkey, encryptionsalt) are Pulumi's
ProjectStack fields as read in pulumi/pulumi sdk/go/common/workspace/project.go (a stored older
version); `environment` (ESC imports) is allowed from Pulumi's docs, not read in that source."""
# Provider config keys that hold a credential: the keys each provider SDK wraps in
# `pulumi.Output.secret` (pulumi_aws/provider.py: accessKey, secretKey, token) and pulumi-kafka's
# credential keys (pulumi_kafka/config/vars.py: saslPassword, clientKey, clientKeyPassphrase; its
# SDK does not mark them, their descriptions say what they hold). Set in plain text, the value
# sits in git and in every offline synth; `pulumi config set --secret` stores it encrypted.
PROVIDER_CREDENTIAL_KEYS = frozenset({
    "aws:accessKey", "aws:secretKey", "aws:token",
    "kafka:saslPassword", "kafka:clientKey", "kafka:clientKeyPassphrase",
})


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


def _read(path: Path) -> SourceDoc | None:
    """The config file's one document (None: empty). Every read error is a located user error (the
    spec loader's rules: no anchors, bounded depth)."""
    file = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise SpecError([Problem(Location(file, 1, 1), "", f"cannot read stack config: {escape_text(err)}")]) from None
    docs, problems = load_text(text, file, what="stack config")
    if problems:
        raise SpecError(problems)
    if len(docs) > 1:
        raise SpecError([Problem(docs[1].locate(""), "", "stack config: one YAML document expected, found more.")])
    return docs[0] if docs else None


def _full_key(key: str) -> str:
    return key if ":" in key else f"{PROJECT}:{key}"


def _as_checked(doc: SourceDoc) -> SourceDoc:
    """The document as the schema sees it: project keys under their full `streamplane:` name (their
    marks moved with them, so problems point at the line as written), `secure:` values as strings."""
    raw = doc.data.get("config")
    if not isinstance(raw, dict):
        return doc
    renamed = {escape_pointer_token(key): escape_pointer_token(_full_key(key)) for key in raw}
    marks: dict[str, Location] = {}
    for pointer, where in doc.marks.items():
        parts = pointer.split("/", 3)
        if len(parts) >= 3 and parts[1] == "config":
            parts[2] = renamed.get(parts[2], parts[2])
        marks["/".join(parts)] = where
    data = {**doc.data, "config": {_full_key(k): _mask_secure(v) for k, v in raw.items()}}
    return SourceDoc(data=data, file=doc.file, marks=marks)


def stack_config_problems(doc: SourceDoc) -> list[Problem]:
    """What schemas/stack-config.json finds in a stack config document: wrong types (e.g.
    `streamplane:protect: [1]`) and unknown streamplane keys, with file:line:col and pointer."""
    return validate_against(_as_checked(doc), STACK_CONFIG_SCHEMA)


def _plaintext_credential(path: Path, key: str, where: Location | None, stack: str) -> Problem:
    return Problem(where or Location(display_path(path), 1, 1), f"/config/{key}",
                   f"{key} is a provider credential set in plain text; store it encrypted with "
                   f"`pulumi config set --secret {key} --stack {stack}` (it replaces this line with a `secure:` value).")


def load_stack_config(stacks_dir: Path, stack: str, *, strict: bool = True) -> tuple[dict[str, str], list[str]]:
    """(config map "namespace:key" -> string, secret keys). A missing file means no config.
    A provider credential in plain text is an error (PROVIDER_CREDENTIAL_KEYS); so is anything
    schemas/stack-config.json refuses, unless `strict` is False: the config of a base commit
    (`plan --base-ref`) was valid for its own code, and may predate keys or types of this one."""
    path = config_file(stacks_dir, stack)
    if not path.is_file():
        return {}, []
    doc = _read(path)
    document = doc.data if doc is not None else {}
    raw = document.get("config") or {}
    if not isinstance(raw, dict):
        raise SpecError([Problem(Location(display_path(path), 1, 1), "/config", "config must be a mapping of keys to values.")])
    config: dict[str, str] = {}
    secret_keys: list[str] = []
    where = doc.marks if doc is not None else {}
    plaintext = [_plaintext_credential(path, key, where.get(join_pointer("/config", key)), stack)
                 for key, value in raw.items()
                 if key in PROVIDER_CREDENTIAL_KEYS and value is not None and not _contains_secure(value)]
    invalid = stack_config_problems(doc) if strict and doc is not None else []
    if plaintext or invalid:
        raise SpecError(plaintext + invalid)
    for key, value in raw.items():
        full_key = _full_key(key)
        if _contains_secure(value):
            secret_keys.append(full_key)
        config[full_key] = _as_config_string(_mask_secure(value))
    return config, sorted(secret_keys)


def load_stack_settings(stacks_dir: Path, stack: str, *, strict: bool = True) -> StackSettings:
    """The stack's settings, parsed once from stacks/Pulumi.<stack>.yaml (what the check phase and synth see)."""
    config, _ = load_stack_config(stacks_dir, stack, strict=strict)
    path = config_file(stacks_dir, stack)
    lines = tuple(path.read_text(encoding="utf-8").splitlines()) if path.is_file() else ()
    return StackSettings.from_config_map(config, stack, config_file=display_path(path), config_lines=lines)
