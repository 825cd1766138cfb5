"""The spec phase: read layers, merge overlays, validate schemas and references, build typed objects.

Every problem is collected before anything stops, so a user fixes them in one pass. The objects'
cross-object checks come after, in the check layer (streamplane.checks.load_layers runs both).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import API_VERSION
from ..errors import Location, Problem, SpecError, errors_only
from ..paths import display_path
from . import typed
from .kinds import KINDS
from .model import Declared, ObjectMeta, PlatformSpec
from .overlay import identity, merge_layers
from .schema import DECLARED_NAMES, _describe, suggest, validate_document
from .source import SourceDoc, escape_text, load_dir

BASE_LAYER = "base"


@dataclass(frozen=True)
class Loaded:
    """A platform spec that passed its schemas (and, from streamplane.checks.load_layers, its objects'
    checks), and the warnings found on the way."""

    spec: PlatformSpec
    warnings: list[Problem]


def stack_layers(stacks_dir: Path, environment: str) -> list[Path]:
    """The folders of `--stack ENV`: stacks/base, then stacks/ENV. Raises SpecError if one is missing."""
    layers = [stacks_dir / BASE_LAYER, stacks_dir / environment]
    missing = [p for p in layers if not p.is_dir()]
    if missing:
        known = sorted(p.name for p in stacks_dir.iterdir() if p.is_dir() and p.name != BASE_LAYER) if stacks_dir.is_dir() else []
        raise SpecError([Problem(Location(display_path(p), 1, 1), "", f'no spec folder for stack "{environment}" (stacks with folders: {", ".join(known) or "none"}).{suggest(environment, known)}') for p in missing])
    return layers


def _check_kind(doc: SourceDoc) -> Problem | None:
    kind = doc.data.get("kind")
    if not isinstance(kind, str):  # checked first: a list or mapping here is not hashable
        got = "missing" if kind is None else f"a {type(kind).__name__}, not a string"
        return Problem(doc.locate("/kind"), "/kind", f'"kind" is {got}; allowed: {", ".join(sorted(KINDS))}.')
    if kind in KINDS:
        return None
    return Problem(doc.locate("/kind"), "/kind", f'unknown kind "{escape_text(kind)}", allowed: {", ".join(sorted(KINDS))}.{suggest(kind, KINDS)}')


def _check_identity(doc: SourceDoc) -> Problem | None:
    """A document must say which object it is before it can be merged or referenced."""
    meta = doc.data.get("metadata")
    if not isinstance(meta, dict):
        got = "missing" if meta is None else f"got {_describe(meta)}"
        return Problem(doc.locate("/metadata"), "/metadata", f"must be a mapping with name and owner ({got}).")
    name = meta.get("name")
    if not isinstance(name, str):
        got = "missing" if name is None else f"got {_describe(name)}"
        return Problem(doc.locate("/metadata/name"), "/metadata/name", f"must be a string naming the object ({got}).")
    return None


def _check_api_version(doc: SourceDoc) -> Problem | None:
    """Checked on every layer's own document: an overlay's apiVersion would otherwise hide the base's."""
    if "apiVersion" not in doc.data or doc.data["apiVersion"] == API_VERSION:
        return None
    return Problem(doc.locate("/apiVersion"), "/apiVersion", f"must be {API_VERSION}, got {_describe(doc.data['apiVersion'])}.")


def _read_phase(raw_layers: list[list[SourceDoc]]) -> list[Problem]:
    """Problems of each document on its own: which kind and object it is, its apiVersion."""
    problems: list[Problem] = []
    for layer in raw_layers:
        for doc in layer:
            found = [_check_kind(doc), _check_identity(doc), _check_api_version(doc)]
            problems.extend(p for p in found if p is not None)
    return problems


def _declared(doc: SourceDoc) -> Declared:
    meta = doc.data["metadata"]
    kind_def = KINDS[doc.data["kind"]]
    return Declared(
        kind=kind_def.kind,
        meta=ObjectMeta(name=meta["name"], owner=meta["owner"], labels=dict(meta.get("labels", {})),
                        description=meta.get("description", "")),
        spec=typed.build(kind_def.spec_class, doc.data.get("spec") or {}),
        source=doc,
    )


def read_layers(layers: list[Path], environment: str) -> Loaded:
    """Read and schema-validate a stack made of `layers` (base first), up to typed objects; the objects'
    own checks are not run (streamplane.checks.load_layers does). Raises SpecError listing every error."""
    raw_layers: list[list[SourceDoc]] = []
    problems: list[Problem] = []
    for folder in layers:
        if not folder.is_dir():
            problems.append(Problem(Location(display_path(folder), 1, 1), "", "spec folder does not exist."))
            continue
        docs, found = load_dir(folder)
        raw_layers.append(docs)
        problems.extend(found)
    problems.extend(_read_phase(raw_layers))
    if errors_only(problems):
        # A file that cannot be read, or a document that does not say which object it is, drops
        # objects: what later checks found would be about objects missing only because of it
        # (references to them, overlays of them that look incomplete).
        raise SpecError(problems)

    docs, validate_only, found = merge_layers(raw_layers)
    problems.extend(found)
    known = docs + validate_only

    names: dict[str, dict[str, Location]] = {}
    for doc in docs:
        ident = identity(doc)
        if ident and ident[0] in KINDS:
            names.setdefault(ident[0], {})[ident[1]] = doc.locate("/metadata/name")
    token = DECLARED_NAMES.set(names)
    try:
        for doc in known:
            problems.extend(validate_document(doc))
    finally:
        DECLARED_NAMES.reset(token)

    if errors_only(problems):
        raise SpecError(problems)

    objects: dict[str, dict[str, Declared]] = {}
    for doc in docs:
        obj = _declared(doc)
        objects.setdefault(obj.kind, {})[obj.name] = obj
    spec = PlatformSpec(environment=environment, objects=objects)
    return Loaded(spec=spec, warnings=sorted(problems, key=Problem.sort_key))
