"""Compute a promotion FROM -> TO: which promotable values differ, and the new text of TO's files.

Values are compared as each environment sees them (stacks/base merged with its overlay), and written
into TO's overlay: into the document that already restates the object, or into a new overlay
document (in the file named like the one that declares the object) when TO inherits it from base.
Objects FROM's overlay adds that TO does not have are copied whole, comments included.
Nothing here writes: `Promotion.files` holds the new texts; `write.write_all` writes them.
"""

from __future__ import annotations

import copy
import io
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from ..errors import SpecError, errors_only
from ..paths import SCHEMAS_DIR, display_path
from ..spec.loader import BASE_LAYER, stack_layers
from ..spec.overlay import index_layer, merge_layers
from ..spec.source import SourceDoc, load_dir, load_text
from .fields import promotable
from .write import PromotionError
from .yamledit import YamlFile, get_pointer

PIPELINE = ("dev", "staging", "prod")
Identity = tuple[str, str]


@dataclass(frozen=True)
class FieldEdit:
    """One promoted value: TO's value (None: unset) becomes FROM's."""

    kind: str
    name: str
    pointer: str
    before: object
    after: object
    file: Path


@dataclass(frozen=True)
class NewObject:
    """An object FROM's overlay adds that TO lacks, copied into `file` from `source`."""

    kind: str
    name: str
    file: Path
    source: Path


@dataclass
class Promotion:
    source: str
    target: str
    stacks_dir: Path
    edits: list[FieldEdit] = field(default_factory=list)
    added: list[NewObject] = field(default_factory=list)
    kept: list[Identity] = field(default_factory=list)   # in TO, not in FROM: never removed
    files: dict[Path, str] = field(default_factory=dict)  # TO's files that change -> new text
    only: frozenset[str] = frozenset()                     # --only names (empty: every object)

    @property
    def empty(self) -> bool:
        return not self.files


def environments(stacks_dir: Path) -> list[str]:
    """Every environment with a spec folder, in promotion order (dev, staging, prod, then others)."""
    names = [p.name for p in stacks_dir.iterdir() if p.is_dir() and p.name != BASE_LAYER]
    return sorted(names, key=lambda n: (PIPELINE.index(n) if n in PIPELINE else len(PIPELINE), n))


def _load(folder: Path) -> list[SourceDoc]:
    docs, problems = load_dir(folder)
    if errors_only(problems):
        raise SpecError(problems)
    return docs


def _applies(data: dict, pointer: str) -> bool:
    """A field applies in TO only where TO has the object holding it: an environment that drops
    `spec.msk` (dev runs Strimzi) must not get an MSK kafkaVersion back by promotion."""
    parent = pointer.rsplit("/", 1)[0]
    return get_pointer(data, parent) is not None


def merged(stacks_dir: Path, env: str, overlay: list[SourceDoc] | None = None) -> dict[Identity, SourceDoc]:
    """(kind, name) -> the object as `env` sees it (base + overlay), without schema validation:
    promotion works on YAML, whatever kinds this build knows."""
    base_dir, env_dir = stack_layers(stacks_dir, env)
    docs, _validate_only, problems = merge_layers([_load(base_dir), overlay if overlay is not None else _load(env_dir)])
    if errors_only(problems):
        raise SpecError(problems)
    return {(d.data["kind"], d.data["metadata"]["name"]): d for d in docs
            if isinstance(d.data.get("kind"), str) and isinstance(d.data.get("metadata"), dict)}


def _schema_comment(kind: str) -> str:
    stem = "".join("-" + c.lower() if c.isupper() else c for c in kind).lstrip("-")
    return f"# yaml-language-server: $schema=../../schemas/{stem}.json\n" if (SCHEMAS_DIR / f"{stem}.json").is_file() else ""


def _override_text(doc: SourceDoc, values: dict[str, object]) -> str:
    """A minimal overlay document restating `doc`'s object with only `values` (pointer -> value)."""
    meta = CommentedMap([("name", doc.data["metadata"]["name"]), ("owner", doc.data["metadata"].get("owner"))])
    meta.fa.set_flow_style()
    data = CommentedMap([("apiVersion", doc.data.get("apiVersion")), ("kind", doc.data["kind"]), ("metadata", meta)])
    for pointer, value in values.items():
        node = data
        tokens = pointer.split("/")[1:]
        for token in tokens[:-1]:
            node = node.setdefault(token, CommentedMap())
        node[tokens[-1]] = value
    yaml = YAML()
    yaml.width = 4096
    out = io.StringIO()
    yaml.dump(data, out)
    return _schema_comment(doc.data["kind"]) + out.getvalue()


class _Files:
    """TO's spec files, parsed once, edited in memory."""

    def __init__(self) -> None:
        self.files: dict[Path, YamlFile] = {}

    def get(self, path: Path) -> YamlFile:
        path = path.resolve()
        if path not in self.files:
            self.files[path] = YamlFile.parse(path) if path.exists() else YamlFile(path, [], "")
        return self.files[path]

    def changed(self) -> dict[Path, str]:
        out = {}
        for path, yf in self.files.items():
            text = yf.render() if yf.documents else ""
            if text != yf.original:
                out[path] = text
        return out


def _file_in(env_dir: Path, doc: SourceDoc, stacks_dir: Path) -> Path:
    """TO's file matching the file `doc` was written in (stacks/dev/flink.yaml -> stacks/staging/flink.yaml)."""
    path = Path(doc.file)
    if not path.is_absolute():
        path = Path.cwd() / path
    for layer in stacks_dir.iterdir():
        try:
            return env_dir / path.resolve().relative_to(layer.resolve())
        except ValueError:
            continue
    return env_dir / path.name


def compute(stacks_dir: Path, source: str, target: str, only: tuple[str, ...] = ()) -> Promotion:
    """The promotion of `source`'s promotable values into `target`'s overlay, nothing written."""
    if source == target:
        raise PromotionError(f'cannot promote "{source}" onto itself; name two environments (e.g. dev staging).')
    target_dir = stack_layers(stacks_dir, target)[1]
    source_overlay = _load(stack_layers(stacks_dir, source)[1])
    target_overlay = _load(target_dir)
    src = merged(stacks_dir, source, source_overlay)
    dst = merged(stacks_dir, target, target_overlay)
    src_own, _, _ = index_layer(source_overlay)
    dst_own, _, _ = index_layer(target_overlay)

    names = {n for item in only for n in item.split(",") if n}
    unknown = sorted(names - {name for _, name in src})
    if unknown:
        raise PromotionError(f'--only: no object named {", ".join(unknown)} in "{source}" '
                             f'(objects there: {", ".join(sorted({n for _, n in src}))}).')

    promotion = Promotion(source, target, stacks_dir, only=frozenset(names))
    files = _Files()
    for ident in sorted(src):
        if names and ident[1] not in names:
            continue
        if ident not in dst:
            _add_object(promotion, files, ident, src_own[ident], target_dir, stacks_dir)
            continue
        values = {p: get_pointer(src[ident].data, p) for p in promotable(ident[0])
                  if _applies(dst[ident].data, p)}
        values = {p: v for p, v in values.items() if v is not None and v != get_pointer(dst[ident].data, p)}
        if values:
            _promote_values(promotion, files, ident, values, dst[ident], dst_own.get(ident), src_own.get(ident),
                            target_dir, stacks_dir)
    promotion.kept = sorted(i for i in dst if i not in src and (not names or i[1] in names))
    promotion.files = files.changed()
    verify(promotion, dst)
    return promotion


def _add_object(promotion, files, ident, doc, target_dir, stacks_dir) -> None:
    source_file = YamlFile.parse(Path(doc.file))
    found = source_file.find(*ident)
    if found is None:
        raise PromotionError(f"{doc.file}: cannot find {ident[0]} {ident[1]} again to copy it")
    dest = _file_in(target_dir, doc, stacks_dir)
    files.get(dest).append(found.text)
    promotion.added.append(NewObject(ident[0], ident[1], dest, Path(doc.file)))


def _promote_values(promotion, files, ident, values, seen, own, source_own, target_dir, stacks_dir) -> None:
    if own is not None:
        path = Path(own.file)
        yf = files.get(path)
        doc = yf.find(*ident)
        for pointer, value in values.items():
            yf.set_value(doc, pointer, value)
    else:
        path = _file_in(target_dir, source_own or seen, stacks_dir)
        files.get(path).append(_override_text(seen, values))
    for pointer, value in values.items():
        promotion.edits.append(FieldEdit(ident[0], ident[1], pointer, get_pointer(seen.data, pointer), value, path))


def _without(data, pointers: list[str]):
    data = copy.deepcopy(data)
    for pointer in pointers:
        tokens = pointer.split("/")[1:]
        node = data
        for token in tokens[:-1]:
            node = node.get(token) if isinstance(node, dict) else None
        if isinstance(node, dict):
            node.pop(tokens[-1], None)
    return data


def verify(promotion: Promotion, before: dict[Identity, SourceDoc]) -> None:
    """Re-read TO with the new texts and check that exactly the promoted values and objects changed.

    A guard on the text editing: if it ever touched anything else, promotion stops before writing.
    """
    if promotion.empty:
        return
    target_dir = stack_layers(promotion.stacks_dir, promotion.target)[1]
    docs, problems = load_dir(target_dir)
    docs = [d for d in docs if Path(d.file).resolve() not in promotion.files]
    for path, text in promotion.files.items():
        new_docs, new_problems = load_text(text, display_path(path))
        docs.extend(new_docs)
        problems.extend(new_problems)
    if errors_only(problems):
        raise PromotionError("the edited files do not parse as YAML (a bug in promotion; nothing was written):\n"
                             + "\n".join(str(p) for p in errors_only(problems)))
    after = merged(promotion.stacks_dir, promotion.target, docs)
    edited: dict[Identity, list[str]] = {}
    for edit in promotion.edits:
        edited.setdefault((edit.kind, edit.name), []).append(edit.pointer)
        if get_pointer(after[(edit.kind, edit.name)].data, edit.pointer) != edit.after:
            raise PromotionError(f"{edit.kind} {edit.name} {edit.pointer}: the edit did not take effect (a bug in promotion; nothing was written)")
    added = {(o.kind, o.name) for o in promotion.added}
    if set(after) != set(before) | added:
        raise PromotionError("promotion would add or remove other objects (a bug in promotion; nothing was written)")
    for ident, doc in before.items():
        pointers = edited.get(ident, [])
        if _without(after[ident].data, pointers) != _without(doc.data, pointers):
            raise PromotionError(f"{ident[0]} {ident[1]}: promotion would change more than its promotable values "
                                 "(a bug in promotion; nothing was written)")


__all__ = ["FieldEdit", "NewObject", "Promotion", "compute", "environments", "merged"]
