"""Edit spec files the way a person would: change one value and leave every other byte alone.

A file is split into its YAML documents (at `---` lines). Each document is parsed with ruamel.yaml's
round-trip loader, which knows where every value sits. Changing an existing scalar rewrites only
that scalar's characters in the original text, so comments, quoting, key order and spacing all
survive byte for byte. Adding a key that does not exist yet re-emits that one document through
ruamel (comments and key order kept, indentation detected from the document); other documents of
the file are untouched. New documents are appended as text.
"""

from __future__ import annotations

import io
import itertools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from .write import PromotionError

SEPARATOR = re.compile(r"^---(?:[ \t].*)?$")
PLAIN_SAFE = re.compile(r"^[A-Za-z0-9_./@+-][A-Za-z0-9_./:@+=-]*$")


class EditError(PromotionError):
    """An edit that cannot be made without guessing (e.g. the path crosses a list or a scalar): the
    user edits it by hand, so the CLI reports it like any promotion refusal (exit 1, no traceback)."""


def _yaml() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    return yaml


def split_pointer(pointer: str) -> list[str]:
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]]


def get_pointer(data, pointer: str, default=None):
    """The value at a JSON pointer in plain or ruamel data, or `default` when absent."""
    node = data
    for token in split_pointer(pointer):
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return default
    return node


def format_scalar(value, quote: str | None = None) -> str:
    """`value` as YAML scalar text; keep the original quoting style when there was one."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if value is None:
        return "null"
    text = str(value)
    if quote == "'":
        return "'" + text.replace("'", "''") + "'"
    if quote == '"' or not PLAIN_SAFE.fullmatch(text) or _yaml_reads_as_other(text):
        return json.dumps(text)
    return text


def _yaml_reads_as_other(text: str) -> bool:
    """True when plain `text` would not read back as that string (1.10, true, null, 0x1f...)."""
    return _yaml().load(f"k: {text}\n")["k"] != text


def _scalar_end(line: str, start: int, flow: bool) -> int:
    """Index just past the scalar that starts at `start` in `line`."""
    first = line[start:start + 1]
    if first in ("'", '"'):
        i = start + 1
        while i < len(line):
            if line[i] == first:
                if first == "'" and line[i + 1:i + 2] == "'":
                    i += 2
                    continue
                return i + 1
            if first == '"' and line[i] == "\\":
                i += 2
                continue
            i += 1
        raise EditError("a quoted value continues on the next line; edit it by hand")
    end = len(line)
    comment = re.search(r"\s#", line[start:])
    if comment:
        end = start + comment.start()
    if flow:
        for stop in (",", "}", "]"):
            found = line.find(stop, start, end)
            if found != -1:
                end = found
    return len(line[:end].rstrip()) if line[:end].rstrip() else end


def _guess_indent(text: str) -> tuple[int, int, int]:
    """(mapping indent, sequence indent, sequence dash offset) as this document writes them."""
    mapping, offset = 2, 0
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    for prev, line in itertools.pairwise(lines):
        if not prev.rstrip().endswith(":"):
            continue
        parent = len(prev) - len(prev.lstrip()) + (2 if prev.lstrip().startswith("- ") else 0)
        child = len(line) - len(line.lstrip())
        if line.lstrip().startswith("- "):
            offset = max(child - parent, 0)
        elif child > parent:
            mapping = child - parent
    return mapping, offset + 2, offset


@dataclass
class Document:
    separator: str          # the `---` line that opened it ("" for the first document)
    text: str               # its text up to the next separator
    data: object = None     # ruamel round-trip data (None for an empty document)
    rewritten: bool = False

    def identity(self) -> tuple[str, str] | None:
        if not isinstance(self.data, dict):
            return None
        meta = self.data.get("metadata")
        name = meta.get("name") if isinstance(meta, dict) else None
        kind = self.data.get("kind")
        return (kind, name) if isinstance(kind, str) and isinstance(name, str) else None


@dataclass
class YamlFile:
    """One spec file, split into documents, editable in place; `render()` gives the new text."""

    path: Path
    documents: list[Document] = field(default_factory=list)
    original: str = ""

    @classmethod
    def parse(cls, path: Path, text: str | None = None) -> YamlFile:
        text = path.read_text(encoding="utf-8") if text is None else text
        docs: list[Document] = []
        separator = ""
        chunk: list[str] = []
        for line in text.splitlines(keepends=True):
            if SEPARATOR.match(line.rstrip("\r\n")):
                docs.append(Document(separator, "".join(chunk)))
                separator, chunk = line, []
            else:
                chunk.append(line)
        docs.append(Document(separator, "".join(chunk)))
        for doc in docs:
            doc.data = _yaml().load(doc.text) if doc.text.strip() else None
        return cls(path, docs, text)

    def render(self) -> str:
        return "".join(doc.separator + doc.text for doc in self.documents)

    def find(self, kind: str, name: str) -> Document | None:
        return next((d for d in self.documents if d.identity() == (kind, name)), None)

    def set_value(self, doc: Document, pointer: str, value) -> None:
        """Set `pointer` in `doc` to `value`: in place if a scalar is there, else by adding the key."""
        tokens = split_pointer(pointer)
        parent = doc.data
        for token in tokens[:-1]:
            child = parent.get(token) if isinstance(parent, dict) else None
            if child is None and isinstance(parent, dict):
                child = CommentedMap()
                parent[token] = child
                doc.rewritten = True
            if not isinstance(child, (dict, list)):
                raise EditError(f"{pointer}: cannot set a value below {token!r}, which is not a mapping")
            parent = child
        last = tokens[-1]
        if not isinstance(parent, dict):
            raise EditError(f"{pointer}: only mapping keys can be promoted")
        current = parent.get(last)
        if isinstance(parent, CommentedMap) and last in parent and not isinstance(current, (CommentedMap, CommentedSeq)) \
                and not doc.rewritten:
            self._replace_scalar(doc, parent, last, value)
        else:
            parent[last] = value
            doc.rewritten = True
        if doc.rewritten:
            doc.text = self._dump(doc)

    def _replace_scalar(self, doc: Document, parent: CommentedMap, key: str, value) -> None:
        line_no, col = parent.lc.value(key)
        lines = doc.text.splitlines(keepends=True)
        line = lines[line_no]
        body = line.rstrip("\r\n")
        quote = body[col] if body[col:col + 1] in ("'", '"') else None
        end = _scalar_end(body, col, flow=parent.fa.flow_style())
        lines[line_no] = body[:col] + format_scalar(value, quote) + body[end:] + line[len(body):]
        doc.text = "".join(lines)
        old = parent[key]
        # Keep the quoting in the data too, should the document be re-emitted by a later edit.
        parent[key] = type(old)(value) if isinstance(old, str) and type(old) is not str and isinstance(value, str) else value

    def _dump(self, doc: Document) -> str:
        mapping, sequence, offset = _guess_indent(doc.text)
        yaml = _yaml()
        yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
        out = io.StringIO()
        yaml.dump(doc.data, out)
        return out.getvalue()

    def append(self, text: str) -> None:
        """Add a document (its text, comments included) at the end of the file."""
        if self.documents and self.documents[-1].text and not self.documents[-1].text.endswith("\n"):
            self.documents[-1].text += "\n"
        if not any(d.data is not None for d in self.documents):
            self.documents = [Document("", text, _yaml().load(text))]
            return
        self.documents.append(Document("---\n", text, _yaml().load(text)))
