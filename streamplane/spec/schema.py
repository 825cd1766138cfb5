"""JSON Schema validation of spec documents, with errors phrased for the person who wrote the YAML.

schemas/*.json (2020-12) are the one definition of what a spec may say. Each validator is built once
per process and reused (about 8x faster than jsonschema.validate per document). One custom keyword,
`x-ref: <Kind>`, marks a field naming another object; it is checked against the names declared in
the same stack, so a dangling reference points at the field that holds it.
"""

from __future__ import annotations

import difflib
import json
import math
import re
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from dataclasses import replace
from functools import cache
from pathlib import Path

import jsonschema
import jsonschema_rs
import referencing.exceptions
from jsonschema.exceptions import ValidationError, best_match
from referencing import Registry, Resource
from referencing._core import Resolved

from ..errors import Location, Problem
from ..paths import SCHEMAS_DIR
from .source import SourceDoc, escape_text, join_pointer

# kind -> name -> where that name was written. No default: the loader sets a fresh mapping per
# load; outside a load no name is declared.
DECLARED_NAMES: ContextVar[Mapping[str, Mapping[str, Location]]] = ContextVar("declared_names")


def _check_reference(validator, kind: str, instance, schema) -> Iterator[ValidationError]:
    if not isinstance(instance, str):
        return
    names = DECLARED_NAMES.get({}).get(kind, {})
    if instance not in names:
        hint = suggest(instance, names)
        declared = ", ".join(sorted(names)) or "none"
        yield ValidationError(f'{kind} "{instance}" is not declared in this stack (declared: {declared}).{hint}',
                              validator="x-ref", validator_value=kind, instance=instance)


@cache
def _ecma_pattern(pattern: str) -> re.Pattern[str]:
    """`pattern` compiled with ECMA-262 end-of-input semantics (JSON Schema 2020-12, 6.3.3 points
    to ECMA-262): outside a character class, `$` matches only at the very end, as Python's `\\Z`.
    jsonschema's own `pattern` uses `re.search` (jsonschema/_keywords.py), where `$` also matches
    before a final newline, so "flink-state\\n" passed `^[a-z-]+$`."""
    out: list[str] = []
    in_class = escaped = False
    for char in pattern:
        if escaped:
            out.append(char)
            escaped = False
        elif char == "\\":
            out.append(char)
            escaped = True
        elif char == "[":
            in_class = True
            out.append(char)
        elif char == "]":
            in_class = False
            out.append(char)
        elif char == "$" and not in_class:
            out.append(r"\Z")
        else:
            out.append(char)
    return re.compile("".join(out))


def _check_pattern(validator, pattern: str, instance, schema) -> Iterator[ValidationError]:
    if isinstance(instance, str) and not _ecma_pattern(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


# The `type`s whose instances are exactly one Python class in jsonschema's draft 2020-12 type
# checker (jsonschema 4.26 _types.py: is_string, is_object, is_array): a value of that class passes
# without the checker's lookup (~80k `type` checks in a 2,000-route load). Anything else, and every
# failure, takes the stock keyword, so its errors are the stock ones.
_PLAIN_TYPES = {"string": str, "object": dict, "array": list}


def _check_finite(validator, types, instance, schema) -> Iterator[ValidationError]:
    """`type` plus: NaN and infinities (YAML `.nan`, `.inf`) are not JSON numbers (RFC 8259 6)."""
    plain = _PLAIN_TYPES.get(types) if isinstance(types, str) else None
    if plain is not None and isinstance(instance, plain):
        return
    yield from jsonschema._keywords.type(validator, types, instance, schema)
    if isinstance(instance, float) and not math.isfinite(instance):
        yield ValidationError(f"{instance!r} is not a finite number", validator="type", validator_value=types, instance=instance)


# (registry, base URI, `$ref`) -> (registry, what it resolves to). jsonschema resolves every `$ref`
# afresh on each visit (jsonschema 4.26 validators.py, `_validate_reference`: `self._resolver.lookup`),
# about a third of validating a document; a registry's contents never change, so neither does the
# answer. The registry is kept in the value so its id is not reused while the entry lives. The
# registries settle after the first lookups (41 entries for the 2,000-route bench platform).
_RESOLVED: dict[tuple[int, str, str], tuple[Registry, Resolved]] = {}


def _check_ref(validator, ref: str, instance, schema) -> Iterator[ValidationError]:
    """`$ref` as jsonschema's own (`_keywords.ref` -> `_validate_reference` with a registry, as every
    SpecValidator here is built), with the lookup remembered: same subschema, same resolver, so the
    same errors, schema paths and `error.schema`."""
    resolver = validator._resolver
    key = (id(resolver._registry), str(resolver._base_uri), ref)
    hit = _RESOLVED.get(key)
    if hit is None:
        try:
            resolved = resolver.lookup(ref)
        except referencing.exceptions.Unresolvable as err:
            raise jsonschema.exceptions._WrappedReferencingError(err) from err
        hit = _RESOLVED[key] = (resolver._registry, resolved)
    resolved = hit[1]
    yield from validator.descend(instance, resolved.contents, resolver=resolved.resolver)


SpecValidator = jsonschema.validators.extend(jsonschema.Draft202012Validator, validators={
    "x-ref": _check_reference, "pattern": _check_pattern, "type": _check_finite, "$ref": _check_ref})


# The compiled pre-check. A document that jsonschema-rs (compiled 2020-12) accepts has no problem
# to report, so it skips SpecValidator's walk (about 0.9 s of a 2,000-route load, against 0.05 s);
# any other document takes the full walk, which alone phrases and locates the errors. Sound only while
# the pre-check never accepts what SpecValidator rejects: our two keywords that differ from the stock
# ones run the same Python code in both, and a schema using a keyword outside _PRECHECKED gets no
# pre-check (tests/spec/test_precheck.py compares the two on every example, broken variants and
# schema-generated documents).


class _PrecheckPattern:
    """`pattern` as SpecValidator's (`_ecma_pattern`), not jsonschema-rs's own regex: Rust's `\\s` is
    not Python's (Python's also holds \\x1c-\\x1f), so `^\\S+$` would accept what SpecValidator refuses."""

    def __init__(self, parent_schema: dict, value: str, schema_path: list) -> None:
        self._search = _ecma_pattern(value).search

    def validate(self, instance: object) -> None:
        if isinstance(instance, str) and not self._search(instance):
            raise ValueError("pattern")


class _PrecheckReference:
    """`x-ref` as `_check_reference`: a string must be a name of its kind declared in this load."""

    def __init__(self, parent_schema: dict, value: str, schema_path: list) -> None:
        self._kind = value

    def validate(self, instance: object) -> None:
        if isinstance(instance, str) and instance not in DECLARED_NAMES.get({}).get(self._kind, {}):
            raise ValueError("x-ref")


# Keywords whose outcome jsonschema-rs 0.60 and SpecValidator agree on for what YAML gives (dict with
# str keys, list, str, int, float, bool, None): `pattern` and `x-ref` by the classes above; `type`
# rejects NaN and infinities in both (jsonschema-rs: a number must be finite); numbers compare exactly
# in both while a bound is an integer below 2**53 (_bounds_exact); enum, const and uniqueItems compare
# 1 and 1.0 equal and true and 1 apart in both (jsonschema _utils.equal). Anything else (format,
# patternProperties with Rust's regex, dependentSchemas, ...) must be reviewed before it is added here.
_PRECHECKED_SUBSCHEMAS = frozenset({"additionalProperties", "items", "propertyNames", "if", "then", "else", "not"})
_PRECHECKED_LISTS = frozenset({"allOf", "anyOf", "oneOf"})
_PRECHECKED_MAPS = frozenset({"properties", "$defs"})
_PRECHECKED_BOUNDS = frozenset({"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength",
                                "minItems", "maxItems", "minProperties", "maxProperties"})
_PRECHECKED = _PRECHECKED_SUBSCHEMAS | _PRECHECKED_LISTS | _PRECHECKED_MAPS | _PRECHECKED_BOUNDS | frozenset({
    "$schema", "$id", "$ref", "title", "description", "default", "examples", "x-tagged-union",
    "type", "enum", "const", "required", "uniqueItems", "pattern", "x-ref"})


def _bounds_exact(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) < 2 ** 53


def _prechecked(schema: object, files: Mapping[str, dict], seen: set[str]) -> bool:
    """Whether every keyword of `schema`, and of every file its `$ref`s reach, is in _PRECHECKED."""
    if isinstance(schema, bool):
        return True
    if not isinstance(schema, dict):
        return False
    for keyword, value in schema.items():
        if keyword not in _PRECHECKED or (keyword in _PRECHECKED_BOUNDS and not _bounds_exact(value)):
            return False
        if keyword == "$ref":
            file = value.partition("#")[0].rsplit("/", 1)[-1]
            if file and file not in seen:
                if file not in files:
                    return False
                seen.add(file)
                if not _prechecked(files[file], files, seen):
                    return False
        subschemas = ([value] if keyword in _PRECHECKED_SUBSCHEMAS else value if keyword in _PRECHECKED_LISTS
                      else list(value.values()) if keyword in _PRECHECKED_MAPS else [])
        if not all(_prechecked(sub, files, seen) for sub in subschemas):
            return False
    return True


@cache
def _precheck_for(kind: str, directory: Path = SCHEMAS_DIR) -> jsonschema_rs.Validator | None:
    """The compiled pre-check of `kind`, or None when its schemas use a keyword it is not trusted with."""
    files = _schema_files(directory)
    schema = kind_schemas(directory)[kind]
    own = next(name for name, content in files.items() if content is schema)
    if not _prechecked(schema, files, {own}):
        return None
    registry = jsonschema_rs.Registry([(s["$id"], s) for s in files.values()])
    return jsonschema_rs.validator_for(schema, registry=registry, offline=True,
                                       keywords={"pattern": _PrecheckPattern, "x-ref": _PrecheckReference})


def passes_precheck(data: dict, directory: Path = SCHEMAS_DIR) -> bool:
    """True only when the document of a known kind has no schema problem. False says nothing: the full
    validator decides (also for a value Rust cannot hold, such as a lone surrogate, which raises)."""
    precheck = _precheck_for(data["kind"], directory)
    if precheck is None:
        return False
    try:
        return precheck.is_valid(data)
    except ValueError:
        return False


def suggest(word: str, candidates) -> str:
    close = difflib.get_close_matches(word, sorted(candidates), n=1, cutoff=0.6)
    return f' Did you mean "{close[0]}"?' if close else ""


@cache
def _schema_files(directory: Path = SCHEMAS_DIR) -> dict[str, dict]:
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(directory.glob("*.json"))}


@cache
def _registry(directory: Path = SCHEMAS_DIR) -> Registry:
    resources = [(s["$id"], Resource.from_contents(s)) for s in _schema_files(directory).values()]
    return Registry().with_resources(resources)


def kind_schemas(directory: Path = SCHEMAS_DIR) -> dict[str, dict]:
    """kind -> its schema, from every schema file whose `kind` property is a const."""
    out = {}
    for schema in _schema_files(directory).values():
        kind = schema.get("properties", {}).get("kind", {}).get("const")
        if kind:
            out[kind] = schema
    return out


@cache
def validator_for(kind: str, directory: Path = SCHEMAS_DIR):
    schema = kind_schemas(directory)[kind]
    return SpecValidator(schema, registry=_registry(directory))


def _describe(value) -> str:
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return f"number {value}"
    if isinstance(value, str):
        return f'string "{value}"'
    if isinstance(value, list):
        return f"a list of {len(value)}"
    if isinstance(value, dict):
        return "a mapping"
    return repr(value)


def _pointer(path) -> str:
    pointer = ""
    for token in path:
        pointer = join_pointer(pointer, token)
    return pointer


def _first_sentence(text: str | None) -> str:
    return text.split(". ")[0].rstrip(".") if text else ""


def _union_keys(options) -> list[str]:
    """The keys of a tagged union written as a oneOf of `{"required": [key]}` (the key names the
    member, e.g. a route's `sink: {kafka: ...}`), else []. Each member's fields are the node's own
    properties, so their errors are reported there and the oneOf only says which member is meant."""
    if not isinstance(options, list) or not all(isinstance(o, dict) and set(o) == {"required"}
                                                and len(o["required"]) == 1 for o in options):
        return []
    return [o["required"][0] for o in options]


def _tagged_union_messages(keys: list[str], instance: dict, union: Mapping) -> list[str]:
    """Zero or several members declared. Nothing when only unknown keys are there: additionalProperties
    already reports each, with the closest member's name."""
    present = [k for k in keys if k in instance]
    if not present and any(k not in keys for k in instance):
        return []
    listed = f'{", ".join(keys[:-1])} or {keys[-1]}' if len(keys) > 1 else keys[0]
    fix = f' {union["fix"]}' if union.get("fix") else ""
    return [f'must declare exactly one {union.get("member", "of")} ({listed}), got {", ".join(present) or "none"}.{fix}']


def _problems_for(error: ValidationError, doc: SourceDoc) -> list[Problem]:
    """One or more user-facing problems for a jsonschema error (one per unknown/missing field)."""
    pointer = _pointer(error.absolute_path)
    kind = error.validator
    schema = error.schema if isinstance(error.schema, dict) else {}
    value = error.validator_value
    inst = error.instance

    # A reference that is not found depends on every name of its kind: when one of those names is
    # itself invalid (a stray newline), that error is the one to fix, and this one follows from it.
    # The field's own location is among them, so its pattern or type error comes first.
    looked_up = frozenset(DECLARED_NAMES.get({}).get(value, {}).values()) if kind == "x-ref" else None

    def at(ptr: str, message: str) -> Problem:
        where = doc.locate(ptr)
        derived = frozenset() if looked_up is None else looked_up | {where}
        return Problem(where, ptr, escape_text(message, 1000), derived_from=derived)

    if kind == "additionalProperties" and isinstance(inst, dict):
        allowed = sorted(schema.get("properties", {}))
        patterns = [re.compile(p) for p in schema.get("patternProperties", {})]
        extras = [k for k in inst if k not in schema.get("properties", {}) and not any(p.search(k) for p in patterns)]
        return [at(join_pointer(pointer, k), f'unknown field "{k}", allowed: {", ".join(allowed)}.{suggest(k, allowed)}') for k in extras]
    if kind == "required" and isinstance(inst, dict):
        hint = (" This object is not in the base layer, so the overlay that adds it must be complete."
                if doc.added_by_overlay else "")
        return [at(join_pointer(pointer, k), f'missing required field "{k}".{hint}') for k in value if k not in inst]
    if kind == "type":
        expected = " or ".join(value) if isinstance(value, list) else value
        return [at(pointer, f"must be {expected}, got {_describe(inst)}.")]
    if kind == "enum":
        return [at(pointer, f"must be one of {', '.join(json.dumps(v) for v in value)}, got {_describe(inst)}.{suggest(str(inst), [str(v) for v in value])}")]
    if kind == "const":
        return [at(pointer, f"must be {json.dumps(value)}, got {_describe(inst)}.")]
    if kind == "pattern":
        what = _first_sentence(schema.get("description")) or f"the pattern {value}"
        return [at(pointer, f"{_describe(inst)} is not valid here: expected {what}.")]
    bounds = {"minimum": ">=", "maximum": "<=", "exclusiveMinimum": ">", "exclusiveMaximum": "<"}
    if kind in bounds:
        return [at(pointer, f"must be {bounds[kind]} {value}, got {_describe(inst)}.")]
    if kind in ("minLength", "maxLength"):
        word = "at least" if kind == "minLength" else "at most"
        return [at(pointer, f"must be {word} {value} characters long, got {len(inst)}.")]
    if kind in ("minItems", "maxItems"):
        word = "at least" if kind == "minItems" else "at most"
        return [at(pointer, f"must have {word} {value} items, got {len(inst)}.")]
    if kind == "uniqueItems":
        return [at(pointer, "must not list the same item twice.")]
    if kind == "oneOf" and isinstance(inst, dict) and (keys := _union_keys(value)):
        return [at(pointer, m) for m in _tagged_union_messages(keys, inst, schema.get("x-tagged-union", {}))]
    if kind in ("oneOf", "anyOf") and error.context:
        chosen = _selected_branch(error, doc)
        return chosen if chosen is not None else _problems_for(best_match(error.context), doc)
    if kind == "x-ref":
        return [at(pointer, error.message)]
    return [at(pointer, error.message)]


def _selected_branch(error: ValidationError, doc: SourceDoc) -> list[Problem] | None:
    """The problems of a oneOf/anyOf whose object branches are told apart by a `const` property (a
    retention rule's `type`): those of the branch the value selects, or one problem on that property
    when it selects none. jsonschema's best_match prefers the shallowest error of any branch, so
    `type: "loadByPeriod\\n"` read as "unknown field period" of the dropForever branch. None when
    the branches have no such property."""
    branches, inst = error.validator_value, error.instance
    if not isinstance(inst, dict) or not isinstance(branches, list):
        return None
    consts: dict[str, list] = {}
    for key in inst:
        values = [b.get("properties", {}).get(key, {}) if isinstance(b, dict) else {} for b in branches]
        if all(isinstance(v, dict) and "const" in v for v in values):
            consts[key] = [v["const"] for v in values]
    if len(consts) != 1:
        return None
    (key, values), = consts.items()
    pointer = join_pointer(_pointer(error.absolute_path), key)
    if inst[key] not in values:
        allowed = ", ".join(json.dumps(v) for v in values)
        message = f"must be one of {allowed}, got {_describe(inst[key])}.{suggest(str(inst[key]), [str(v) for v in values])}"
        return [Problem(doc.locate(pointer), pointer, escape_text(message, 1000))]
    index = values.index(inst[key])
    selected = [e for e in error.context if e.relative_schema_path and e.relative_schema_path[0] == index]
    return [p for e in selected for p in _problems_for(e, doc)] or None


FieldPath = tuple[str, ...]
"""A path into a document: property names, "*" for every item of a list or every extra key of a mapping."""
ANY = "*"


def _resolve(ref: str, file: str, directory: Path) -> tuple[dict, str]:
    """The subschema a `$ref` names (`#/...` in `file`, or `other.json#/...`), and the file it is in."""
    target, _, pointer = ref.partition("#")
    file = target.rsplit("/", 1)[-1] or file
    node = _schema_files(directory)[file]
    for token in (t for t in pointer.split("/") if t):
        node = node[token.replace("~1", "/").replace("~0", "~")]
    return node, file


def _reference_paths(schema, file: str, directory: Path, path: FieldPath, seen: frozenset) -> Iterator[tuple[FieldPath, str]]:
    if not isinstance(schema, dict):
        return
    if "x-ref" in schema:
        yield path, schema["x-ref"]
    if "$ref" in schema and (schema["$ref"], file) not in seen:
        target, in_file = _resolve(schema["$ref"], file, directory)
        yield from _reference_paths(target, in_file, directory, path, seen | {(schema["$ref"], file)})
    for keyword in ("allOf", "anyOf", "oneOf"):
        for sub in schema.get(keyword, []):
            yield from _reference_paths(sub, file, directory, path, seen)
    for keyword in ("if", "then", "else", "not"):
        yield from _reference_paths(schema.get(keyword), file, directory, path, seen)
    for name, sub in schema.get("properties", {}).items():
        yield from _reference_paths(sub, file, directory, (*path, name), seen)
    for keyword in ("items", "additionalProperties"):
        yield from _reference_paths(schema.get(keyword), file, directory, (*path, ANY), seen)


@cache
def reference_paths(kind: str, directory: Path = SCHEMAS_DIR) -> tuple[tuple[FieldPath, str], ...]:
    """Where a document of `kind` may name another object (`x-ref` fields), and which kind it names, read
    from the schema once. Listed fields (`properties`) and the `*` of items or extra keys are walked
    alike: in a valid document a name sits only where its schema puts an `x-ref`."""
    schema = kind_schemas(directory)[kind]
    file = next(name for name, content in _schema_files(directory).items() if content is schema)
    return tuple(dict.fromkeys(_reference_paths(schema, file, directory, (), frozenset())))


def _at(value, path: FieldPath) -> Iterator[object]:
    if not path:
        yield value
        return
    head, rest = path[0], path[1:]
    if head == ANY:
        items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        for item in items:
            yield from _at(item, rest)
    elif isinstance(value, dict) and head in value:
        yield from _at(value[head], rest)


def references(data: dict, directory: Path = SCHEMAS_DIR) -> set[tuple[str, str]]:
    """(kind, name) of every object a valid document names in an `x-ref` field: the schema is the
    one place that says which fields are references (reference_paths). A walk along those paths,
    not a validation: finding what a stack reads runs this for every object of every stack."""
    return {(kind, name) for path, kind in reference_paths(data["kind"], directory)
            for name in _at(data, path) if isinstance(name, str)}


@cache
def _file_validator(name: str, directory: Path = SCHEMAS_DIR):
    return SpecValidator(_schema_files(directory)[name], registry=_registry(directory))


def validate_against(doc: SourceDoc, schema_file: str, directory: Path = SCHEMAS_DIR) -> list[Problem]:
    """Every problem of a document that is not a spec kind (e.g. a stack config) against
    schemas/`schema_file`, phrased and located as spec problems are."""
    problems: list[Problem] = []
    for error in sorted(_file_validator(schema_file, directory).iter_errors(doc.data),
                        key=lambda e: list(map(str, e.absolute_path))):
        problems.extend(_problems_for(error, doc))
    return problems


def validate_document(doc: SourceDoc, directory: Path = SCHEMAS_DIR) -> list[Problem]:
    """Every schema problem of one document (the kind must already be known)."""
    if passes_precheck(doc.data, directory):
        return []
    validator = validator_for(doc.data["kind"], directory)
    problems: list[Problem] = []
    failed: set[tuple] = set()
    # One problem per value: `"30\n"` for an integer enum fails `type` and `enum`; the type says it.
    # (additionalProperties and required speak of the fields inside the value, one problem each.)
    for error in sorted(validator.iter_errors(doc.data),
                        key=lambda e: (list(map(str, e.absolute_path)), e.validator != "type")):
        path = tuple(error.absolute_path)
        if error.validator not in ("additionalProperties", "required"):
            if path in failed:
                continue
            failed.add(path)
        problems.extend(_problems_for(error, doc))
    if doc.added_by_overlay:
        # It is new only because its name matched no earlier layer's: were its own name or one of
        # theirs mistyped (and so invalid), the missing fields and stray nulls below follow from that.
        lookup = doc.overlay_lookup | {doc.locate("/metadata/name")}
        problems = [p if p.pointer == "/metadata/name" else replace(p, derived_from=p.derived_from | lookup)
                    for p in problems]
    return problems
