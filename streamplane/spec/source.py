"""Read spec files: YAML documents as plain data, with the line and column of every node kept.

PyYAML's C loader composes node trees with start marks (about 6x faster than ruamel.yaml); ruamel
is kept for round-trip edits only (promotion), where comments must survive.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import Location, Problem
from ..paths import display_path

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SPEC_SUFFIXES = (".yaml", ".yml")


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

    def locate(self, pointer: str) -> Location:
        """The location of `pointer`, or of its nearest written ancestor (e.g. for a missing field)."""
        probe = pointer
        while True:
            if probe in self.marks:
                return self.marks[probe]
            if not probe:
                return Location(self.file, 1, 1)
            probe = probe.rsplit("/", 1)[0]


def _mark(file: str, node: yaml.Node) -> Location:
    return Location(file, node.start_mark.line + 1, node.start_mark.column + 1)


def _record_marks(node: yaml.Node, pointer: str, file: str, marks: dict, problems: list) -> None:
    """Walk the node tree beside the constructed data and note each pointer's position.

    Mapping entries are marked at their key (where a reader's eye goes); sequence items at the item.
    Duplicate keys, which YAML loaders silently collapse to the last one, are reported.
    """
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, Location] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(Problem(_mark(file, key_node), pointer, "mapping keys must be plain strings"))
                continue
            key = key_node.value
            where = _mark(file, key_node)
            child = join_pointer(pointer, key)
            if key in seen:
                problems.append(Problem(where, child, f'duplicate key "{key}" (first written at line {seen[key].line}); YAML keeps only the last one. Remove one of them.'))
            seen[key] = where
            marks[child] = where
            _record_marks(value_node, child, file, marks, problems)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            child = join_pointer(pointer, index)
            marks[child] = _mark(file, item)
            _record_marks(item, child, file, marks, problems)


def load_text(text: str, file: str) -> tuple[list[SourceDoc], list[Problem]]:
    """Parse every document in `text`; documents that are empty are skipped."""
    docs: list[SourceDoc] = []
    problems: list[Problem] = []
    loader = _Loader(text)
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                continue
            marks: dict[str, Location] = {"": _mark(file, node)}
            _record_marks(node, "", file, marks, problems)
            data = loader.construct_document(node)
            if data is None:
                continue
            if not isinstance(data, dict):
                problems.append(Problem(marks[""], "", f"a spec document must be a mapping with apiVersion, kind, metadata and spec, got {type(data).__name__}"))
                continue
            docs.append(SourceDoc(data=data, file=file, marks=marks))
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        where = Location(file, mark.line + 1, mark.column + 1) if mark else Location(file, 1, 1)
        problems.append(Problem(where, "", f"invalid YAML: {err.problem or err.context}"))
    except yaml.YAMLError as err:  # e.g. a constructor error without a mark
        problems.append(Problem(Location(file, 1, 1), "", f"invalid YAML: {err}"))
    finally:
        loader.dispose()
    return docs, problems


def spec_files(directory: Path) -> list[Path]:
    """The spec files of one layer, in a stable order (sorted by name, subfolders included)."""
    return sorted(p for p in directory.rglob("*") if p.suffix in SPEC_SUFFIXES and p.is_file())


def load_dir(directory: Path) -> tuple[list[SourceDoc], list[Problem]]:
    docs: list[SourceDoc] = []
    problems: list[Problem] = []
    for path in spec_files(directory):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            problems.append(Problem(Location(display_path(path), 1, 1), "", f"cannot read spec file: {err}"))
            continue
        file_docs, file_problems = load_text(text, display_path(path))
        docs.extend(file_docs)
        problems.extend(file_problems)
    return docs, problems
