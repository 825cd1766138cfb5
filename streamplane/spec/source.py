"""Read spec files: YAML documents as plain data, with the line and column of every node kept.

PyYAML's C loader composes node trees with start marks (about 6x faster than ruamel.yaml); ruamel
is kept for round-trip edits only (promotion), where comments must survive.
"""

from __future__ import annotations

import re
import stat
import sys
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import ClassVar

import yaml

from ..errors import Location, Problem, one_line
from ..paths import display_path

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"
# Explicit tags a spec may use: the JSON-compatible ones. `!!set`, `!!binary`, `!!timestamp`,
# `!!omap`, `!!python/...` make values no schema describes (and Python reprs in messages).
_ALLOWED_TAGS = frozenset(f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "map", "seq"))


class _Loader(_BaseLoader):  # type: ignore[valid-type,misc]
    """The safe loader without YAML 1.1 timestamps: `2024-01-01` stays the string it is in YAML 1.2's
    core schema (and in JSON), so a schema's `type: string` sees text, not a datetime.date."""

    yaml_implicit_resolvers: ClassVar[dict] = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
    }


def _scalar_or_error(construct, name: str):
    """`construct` (a SafeConstructor scalar method) that reports a value it cannot convert as a YAML
    error at the value, instead of letting Python's ValueError or KeyError escape. PyYAML resolves a
    plain scalar by regex and then converts it, and the two disagree at the edges (`0x_` resolves to
    int, then `int("", 16)` fails), as do explicit tags on any text (`!!int abc`, `!!bool maybe`)."""
    def checked(loader, node):
        try:
            return construct(loader, node)
        except (ValueError, KeyError):
            raise yaml.constructor.ConstructorError(
                None, None, f'"{escape_text(node.value)}" is not a valid YAML {name}; write a plain value '
                f"(quote it to keep it as text)", node.start_mark) from None
    return checked


for _name in ("int", "float", "bool"):
    _Loader.add_constructor(f"tag:yaml.org,2002:{_name}",
                            _scalar_or_error(getattr(yaml.constructor.SafeConstructor, f"construct_yaml_{_name}"), _name))
SPEC_SUFFIXES = (".yaml", ".yml")
# Deepest nesting of mappings/sequences a spec may have. Real specs stay under 12; PyYAML's
# composer recurses once per level (RecursionError past ~1,000, a SIGSEGV in libyaml's C composer
# around 30,000), so depth is checked on the token stream before any node is composed.
MAX_DEPTH = 64
_OPENERS = (yaml.BlockMappingStartToken, yaml.BlockSequenceStartToken, yaml.FlowMappingStartToken, yaml.FlowSequenceStartToken)
_CLOSERS = (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)


def escape_text(value: object, limit: int = 80) -> str:
    """`value` as one printable line for a message: control characters escaped, long text cut."""
    text = value if isinstance(value, str) else str(value)
    text = one_line(text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def escape_pointer_token(token: str | int) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def join_pointer(parent: str, token: str | int) -> str:
    return f"{parent}/{escape_pointer_token(token)}"


@dataclass
class SourceDoc:
    """One YAML document of a spec file: its data and where each JSON pointer in it was written."""

    data: dict
    file: str
    marks: dict[str, Location] = field(default_factory=dict)
    added_by_overlay: bool = False
    # For a document added by an overlay: where the names of its kind in the earlier layers were
    # written, the names its own was looked up among (none matched).
    overlay_lookup: frozenset[Location] = frozenset()

    def locate(self, pointer: str) -> Location:
        """The location of `pointer`, or of its nearest written ancestor (e.g. for a missing field)."""
        probe = pointer
        while True:
            if probe in self.marks:
                return self.marks[probe]
            if not probe:
                return Location(self.file, 1, 1)
            probe = probe.rsplit("/", 1)[0]


    def locations_under(self, pointer: str) -> frozenset[Location]:
        """Where `pointer` and every field inside it were written."""
        prefix = pointer + "/"
        return frozenset(mark for key, mark in self.marks.items() if key == pointer or key.startswith(prefix))


def _mark(file: str, node: yaml.Node | yaml.Token) -> Location:
    return Location(file, node.start_mark.line + 1, node.start_mark.column + 1)


class _Deeper(Exception):
    """A document nests collections deeper than `_record_marks` was told to accept."""


def _record_marks(root: yaml.Node, file: str, marks: dict, problems: list, max_depth: int | None = None) -> bool:
    """Walk the node tree beside the constructed data and note each pointer's position.

    Mapping entries are marked at their key (where a reader's eye goes); sequence items at the item.
    Duplicate keys, which YAML loaders silently collapse to the last one, are reported. The walk
    keeps its own stack (no recursion), and aliases never reach it (refused by `_prescan`, or absent
    from a text `load_text` composes unscanned). Raises _Deeper when a mapping or sequence sits more
    than `max_depth` collections deep (the root one is 1).
    Returns False when the document cannot be used as data (a key that is not a string, a `<<`
    merge key): the problem is reported and the document is dropped.
    """
    usable = True
    limit = sys.maxsize if max_depth is None else max_depth
    stack: list[tuple[yaml.Node, str, int]] = [(root, "", 1)]
    while stack:
        node, pointer, depth = stack.pop()
        if depth > limit and isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
            raise _Deeper
        if isinstance(node, yaml.MappingNode):
            seen: dict[str, Location] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _STR:
                    what = ("a `<<` merge key" if key_node.tag == _MERGE else
                            f"`{escape_text(key_node.value)}`, not a string" if isinstance(key_node, yaml.ScalarNode) else "a collection")
                    problems.append(Problem(_mark(file, key_node), pointer,
                                            f"mapping keys must be plain strings, got {what}; quote the key or write the entries out."))
                    usable = False
                    continue
                key = key_node.value
                where = _mark(file, key_node)
                child = join_pointer(pointer, key)
                if key in seen:
                    problems.append(Problem(where, child, f'duplicate key "{escape_text(key)}" (first written at line {seen[key].line}); YAML keeps only the last one. Remove one of them.'))
                seen[key] = where
                marks[child] = where
                stack.append((value_node, child, depth + 1))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                child = join_pointer(pointer, index)
                marks[child] = _mark(file, item)
                stack.append((item, child, depth + 1))
    return usable


def _prescan(text: str, file: str, what: str = "spec") -> Problem | None:
    """Refuse what must not reach the composer: anchors/aliases (an alias bomb expands to billions
    of nodes from a few hundred bytes) and nesting deeper than MAX_DEPTH. Scanning is iterative in
    libyaml, so this is safe on any input; scanner errors are left for the real parse to report."""
    scanner = _Loader(text)
    depth = 0
    try:
        while True:
            token = scanner.get_token()
            if token is None or isinstance(token, yaml.StreamEndToken):
                return None
            if isinstance(token, (yaml.AliasToken, yaml.AnchorToken)):
                node_ref = "alias" if isinstance(token, yaml.AliasToken) else "anchor"
                return Problem(_mark(file, token), "", f'YAML {node_ref} "{escape_text(token.value)}" is not allowed in a {what}; write the value out{" (use an overlay layer to share settings)" if what == "spec" else ""}.')
            if isinstance(token, _OPENERS):
                depth += 1
                if depth > MAX_DEPTH:
                    return Problem(_mark(file, token), "", f"nesting deeper than {MAX_DEPTH} levels; a {what} needs far fewer. Flatten the document.")
            elif isinstance(token, _CLOSERS):
                depth -= 1
            elif isinstance(token, yaml.TagToken):
                tag = _resolve_tag(token.value)
                if tag not in _ALLOWED_TAGS:
                    return Problem(_mark(file, token), "", f'YAML tag "{escape_text((token.value[0] or "") + token.value[1])}" is not allowed in a {what}; '
                                   f"a {what} holds only strings, numbers, booleans, lists and mappings. Remove the tag.")
    except yaml.YAMLError:
        return None
    finally:
        scanner.dispose()


def _resolve_tag(value: tuple[str, str]) -> str:
    handle, suffix = value
    if handle is None:  # verbatim: !<tag:yaml.org,2002:str>
        return suffix
    return ("tag:yaml.org,2002:" + suffix) if handle == "!!" else handle + suffix


def _line_col(text: str, index: int) -> tuple[int, int]:
    index = max(0, min(index, len(text)))
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


# A block collection nested in another starts at a greater column, or, a sequence in a mapping, at
# the same one (so at most twice the columns of a line); a flow collection starts at a `[` or `{`
# (a pair in a flow sequence adds one mapping each). A document's nesting is therefore at most
# 2 * (longest line + `[`/`{` in the document) + 1: libyaml's C composer recurses once per level and
# is safe far beyond this limit (it crashes around 30,000). PyYAML's Python composer, used without
# libyaml, is not: there every text is scanned first.
_UNSCANNED_DEPTH_LIMIT = 1000 if _BaseLoader is getattr(yaml, "CSafeLoader", None) else 0
_DOCUMENT_START = re.compile(r"^---(?=[ \n]|\Z)", re.MULTILINE)


def _composable_unscanned(text: str) -> bool:
    """Whether `text` can be composed without `_prescan`'s token pass first: with no `&`, `*` or `!`
    it holds no anchor, alias or tag, and its nesting is bounded well below what the composer
    survives. Whether it nests deeper than MAX_DEPTH is then read from the composed nodes (each
    collection `_prescan` counts is one of them). A bound that is too high only costs the pass.
    Comment lines hold no token, so they do not count towards the longest line; documents are
    cut at `---` at the start of a line followed by a space or a line break (libyaml cuts at more)."""
    if _UNSCANNED_DEPTH_LIMIT == 0 or "&" in text or "*" in text or "!" in text:
        return False
    width = max((len(line) for line in text.split("\n") if not line.lstrip(" ").startswith("#")), default=0)
    cuts = [0, *(m.start() for m in _DOCUMENT_START.finditer(text)), len(text)]
    flows = max(text.count("[", a, b) + text.count("{", a, b) for a, b in pairwise(cuts))
    return 2 * (width + flows) + 1 <= _UNSCANNED_DEPTH_LIMIT


def load_text(text: str, file: str, what: str = "spec") -> tuple[list[SourceDoc], list[Problem]]:
    """Parse every document in `text`; documents that are empty are skipped. `what` names the file
    in messages ("spec", "stack config"): both are read by the same hardened rules.

    `_prescan` (a whole token pass) decides first what is refused, except where the text cannot
    hold what it refuses (`_composable_unscanned`): that text is composed directly, which also
    scans it, and when that meets an error or a document nested past MAX_DEPTH, the result is
    dropped and the text read again with the prescan first, so what is reported never differs."""
    if _composable_unscanned(text):
        try:
            return _parse(text, file, what, max_depth=MAX_DEPTH)
        except (yaml.YAMLError, _Deeper):
            pass
    refused = _prescan(text, file, what)
    if refused:
        return [], [refused]
    return _parse(text, file, what)


def _parse(text: str, file: str, what: str, max_depth: int | None = None) -> tuple[list[SourceDoc], list[Problem]]:
    """The documents of `text` and their problems. With `max_depth`, YAML errors are raised (not
    reported) and a document nested deeper raises _Deeper."""
    docs: list[SourceDoc] = []
    problems: list[Problem] = []
    loader = _Loader(text)
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                continue
            marks: dict[str, Location] = {"": _mark(file, node)}
            if not _record_marks(node, file, marks, problems, max_depth):
                continue
            data = loader.construct_document(node)
            if data is None:
                continue
            if not isinstance(data, dict):
                problems.append(Problem(marks[""], "", f"a {what} document must be a mapping{' with apiVersion, kind, metadata and spec' if what == 'spec' else ''}, got {type(data).__name__}"))
                continue
            docs.append(SourceDoc(data=data, file=file, marks=marks))
    except yaml.YAMLError as err:
        if max_depth is not None:
            raise
        problems.append(_yaml_problem(text, file, err))
    finally:
        loader.dispose()
    return docs, problems


def _yaml_problem(text: str, file: str, err: yaml.YAMLError) -> Problem:
    if isinstance(err, yaml.MarkedYAMLError):
        mark = err.problem_mark or err.context_mark
        where = Location(file, mark.line + 1, mark.column + 1) if mark else Location(file, 1, 1)
        context = f" ({escape_text(err.context)})" if err.context and err.problem else ""
        return Problem(where, "", f"invalid YAML: {escape_text(err.problem or err.context, 200)}{context}")
    if isinstance(err, yaml.reader.ReaderError):  # a character YAML does not allow, at a character index
        line, col = _line_col(text, err.position)
        return Problem(Location(file, line, col), "", f"invalid YAML: {escape_text(err.reason)} (character {escape_text(repr(chr(err.character)) if isinstance(err.character, int) else err.character)})")
    # e.g. a constructor error without a mark
    return Problem(Location(file, 1, 1), "", f"invalid YAML: {escape_text(err, 200)}")


def spec_files(directory: Path) -> list[Path]:
    """The spec files of one layer, in a stable order (sorted by name, subfolders included).

    Every name with a spec suffix is listed, also one that is not a readable regular file (a
    dangling symlink, a FIFO, a symlink loop): `load_dir` reports those instead of skipping them,
    since a silently skipped prod file falls back to base settings."""
    return sorted(p for p in directory.rglob("*") if p.suffix in SPEC_SUFFIXES and not _is_dir(p))


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:
        return False


def _not_regular(path: Path) -> str | None:
    """Why `path` is not a spec file that can be read, or None when it is a regular file."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return "is a symlink that points nowhere (dangling)"
    except OSError as err:
        if err.errno == 40:  # ELOOP
            return "is a symlink loop"
        return f"cannot be read ({escape_text(err.strerror or err)})"
    if not stat.S_ISREG(mode):
        return "is not a regular file (a FIFO, socket or device)"
    return None


def load_dir(directory: Path) -> tuple[list[SourceDoc], list[Problem]]:
    docs: list[SourceDoc] = []
    problems: list[Problem] = []
    for path in spec_files(directory):
        why = _not_regular(path)
        if why:
            problems.append(Problem(Location(display_path(path), 1, 1), "", f"spec file {why}; point it at a real file or remove it."))
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            problems.append(Problem(Location(display_path(path), 1, 1), "", f"cannot read spec file: {escape_text(err)}"))
            continue
        file_docs, file_problems = load_text(text, display_path(path))
        docs.extend(file_docs)
        problems.extend(file_problems)
    return docs, problems
