"""Spec documents generated from schemas/ (hypothesis-jsonschema), added to the example dev stack and
fed to the in-process CLI. Shared by the in-suite run (tests/hostile/test_schema_fuzz.py) and the
long run (bench/fuzz.py).

hypothesis-jsonschema resolves only references inside one schema (it fetches no remote `$ref`), so
each kind's schema is bundled first: every `$ref` into common.json (or the file's own `$defs`) is
replaced by what it points at. Our one custom keyword, `x-ref: <Kind>` (a field naming another
object), means nothing to the generator: such a field becomes an `enum` of the names of that kind
in the example stack, or almost every generated document would stop at "not declared" and never
reach the checks, synth and plan behind it.
"""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

import hypothesis_jsonschema._from_schema
import yaml
from hypothesis import strategies as st
from hypothesis.internal.conjecture import utils as conjecture_utils
from hypothesis_jsonschema import from_schema

from streamplane.spec.schema import kind_schemas
from tests.hostile.mutations import REPO, run_cli, seed_specs

SCHEMAS = REPO / "schemas"
_DONE = object()


class _ManyAsBefore:
    """hypothesis's private `many` in the form hypothesis-jsonschema 0.23.1 (its latest release) drives
    it for objects: `elements = many(...)`, `while elements.more(): ... elements.reject()`. hypothesis
    6.170.15, our pin, has only `with many(...) as elements: for _ in elements:`, so every object
    schema failed with "'many' object has no attribute 'more'" (read in the installed
    hypothesis/internal/conjecture/utils.py `many` and hypothesis_jsonschema/_from_schema.py
    `from_object_schema`, the only use). This adapter drives the new form step by step."""

    def __init__(self, *args: Any, **kwargs: Any):
        self._many = conjecture_utils.many(*args, **kwargs)
        self._many.__enter__()
        self._steps = iter(self._many)

    def more(self) -> bool:
        if next(self._steps, _DONE) is _DONE:
            self._many.__exit__(None)
            return False
        return True

    def reject(self, why: str | None = None) -> None:
        self._many.reject(why)


class _UtilsWithOldMany:
    def __getattr__(self, name: str) -> Any:
        return _ManyAsBefore if name == "many" else getattr(conjecture_utils, name)


hypothesis_jsonschema._from_schema.cu = _UtilsWithOldMany()  # type: ignore[assignment]

# Kinds whose schema the generator cannot turn into a strategy, with the reason. Empty: every
# schema in schemas/ generates (the test asserts this list matches what actually fails).
UNGENERATABLE: dict[str, str] = {}


def declared_names() -> dict[str, list[str]]:
    """kind -> names of that kind declared in stacks/base + stacks/dev."""
    names: dict[str, set[str]] = {}
    for text in seed_specs().values():
        for doc in yaml.safe_load_all(text):
            if isinstance(doc, dict) and isinstance(doc.get("metadata"), dict):
                names.setdefault(doc["kind"], set()).add(doc["metadata"]["name"])
    return {kind: sorted(found) for kind, found in names.items()}


def _resolve(ref: str, here: dict, by_file: dict[str, dict]) -> tuple[Any, dict]:
    """The subschema `ref` points at, and the schema file it is in (for the references inside it)."""
    file, _, pointer = ref.partition("#")
    document = by_file[file] if file else here
    node: Any = document
    for token in pointer.strip("/").split("/") if pointer.strip("/") else ():
        node = node[token.replace("~1", "/").replace("~0", "~")]
    return node, document


def bundled(schema: dict, by_file: dict[str, dict], names: dict[str, list[str]]) -> dict:
    """`schema` with every `$ref` inlined and every `x-ref` field narrowed to the declared names."""

    def walk(node: Any, here: dict, depth: int = 0) -> Any:
        assert depth < 50, "a recursive $ref: the schemas have none, and this bundler does not handle them"
        if isinstance(node, list):
            return [walk(item, here, depth + 1) for item in node]
        if not isinstance(node, dict):
            return node
        if "x-ref" in node:
            return {"enum": names.get(node["x-ref"], ["none-declared"])}
        if "$ref" in node:
            target, document = _resolve(node["$ref"], here, by_file)
            rest = {k: v for k, v in node.items() if k not in ("$ref", "description")}
            inlined = walk(target, document, depth + 1)
            return {"allOf": [walk(rest, here, depth + 1), inlined]} if rest else inlined
        return {key: (value if key in ("const", "enum", "default", "examples") else walk(value, here, depth + 1))
                for key, value in node.items() if key not in ("$defs", "$id", "$schema")}

    return walk(copy.deepcopy(schema), schema)


def kind_strategies() -> dict[str, st.SearchStrategy[Any]]:
    """kind -> a strategy of documents valid against that kind's bundled schema."""
    by_file = {path.name: json.loads(path.read_text(encoding="utf-8")) for path in SCHEMAS.glob("*.json")}
    names = declared_names()
    return {kind: from_schema(bundled(schema, by_file, names))
            for kind, schema in sorted(kind_schemas(SCHEMAS).items()) if kind not in UNGENERATABLE}


def spec_document_cases(strategies: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[tuple[str, Any]]:
    return st.one_of([st.tuples(st.just(kind), strategy) for kind, strategy in strategies.items()])


def run_generated(folder: Path, document: dict) -> list[tuple[str, int, str, str]]:
    """The example base + dev with `document` added to dev: `validate`, and when it is accepted,
    `plan` (which synthesizes). Returns (command, exit code, stdout, stderr) per command run."""
    for rel, text in seed_specs().items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (folder / "dev" / "generated.yaml").write_text(
        yaml.safe_dump(document, sort_keys=False, allow_unicode=True), encoding="utf-8", errors="surrogatepass")
    layers = ["--spec", str(folder / "base"), "--spec", str(folder / "dev")]
    runs = [("validate", *run_cli(["validate", *layers]))]
    if runs[0][1] == 0:
        runs.append(("plan", *run_cli(["plan", *layers, "--format", "json"])))
    shutil.rmtree(folder / "base")
    shutil.rmtree(folder / "dev")
    return runs
