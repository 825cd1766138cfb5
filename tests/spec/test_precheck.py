"""The compiled pre-check (streamplane.spec.schema.passes_precheck) accepts a document exactly when
SpecValidator reports no error for it: on every document of the example stacks (merged per
environment), on broken variants of each (every value replaced by each of a set of hostile values,
every key removed, an unknown key added), and on documents generated from the schemas
(tests/hostile/schema_cases.py) and then broken the same way. A pre-check that accepted what
SpecValidator rejects would drop that error from the output."""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from streamplane.spec import schema as spec_schema
from streamplane.spec.loader import stack_layers
from streamplane.spec.overlay import identity, merge_layers
from streamplane.spec.source import load_dir
from tests.conftest import REPO
from tests.hostile.schema_cases import declared_names, kind_strategies

# Values that sit on the edges where two validators may differ: bool against integer, integral
# floats, big integers, NaN and infinities (not JSON numbers), empty and newline-ended strings, the
# characters Python's `\s` holds and Rust's does not (\x1c-\x1f), other Unicode spaces, astral
# characters (string length), and a lone surrogate (which Rust cannot hold).
HOSTILE = [None, True, False, 0, 1, 1.0, -1, 3.5, 2 ** 53 + 1, 2 ** 70, -(2 ** 70), float("nan"), float("inf"),
           float("-inf"), "", " ", "x\n", "a\x1cb", "a\x1f", "a\u2028b", "a\xa0b", "a\ufeffb", "\U0001f600" * 3,
           "UPPER", "s3://bucket/x\n", "\ud800", [], [1, True], ["a", "a"], [1, 1.0], {}, {"a": 1}]


def _documents() -> list[dict]:
    """Every object of every example stack, merged as the loader validates it (each distinct one once)."""
    out: dict[str, dict] = {}
    for env in sorted(p.name for p in (REPO / "stacks").iterdir() if p.is_dir() and p.name != "base"):
        docs, _, _ = merge_layers([load_dir(layer)[0] for layer in stack_layers(REPO / "stacks", env)])
        out.update((json.dumps(d.data, sort_keys=True), d.data) for d in docs if identity(d))
    return list(out.values())


EXAMPLES = _documents()


def _names() -> dict[str, dict[str, object]]:
    """The names of every example stack (the generated documents name those of base + dev)."""
    names: dict[str, dict[str, object]] = {kind: dict.fromkeys(found) for kind, found in declared_names().items()}
    for data in EXAMPLES:
        names.setdefault(data["kind"], {})[data["metadata"]["name"]] = None
    return names


def _full_valid(data: dict) -> bool:
    return next(iter(spec_schema.validator_for(data["kind"]).iter_errors(data)), None) is None


def _agree(data: dict) -> None:
    assert spec_schema.passes_precheck(data) == _full_valid(data), data


def _paths(value, path=()) -> Iterator[tuple]:
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*path, index))


def _replaced(data: dict, path: tuple, new) -> dict:
    out = copy.deepcopy(data)
    node = out
    for token in path[:-1]:
        node = node[token]
    node[path[-1]] = new
    return out


def _removed(data: dict, path: tuple) -> dict:
    out = copy.deepcopy(data)
    node = out
    for token in path[:-1]:
        node = node[token]
    del node[path[-1]]
    return out


@pytest.fixture
def declared():
    token = spec_schema.DECLARED_NAMES.set(_names())
    yield
    spec_schema.DECLARED_NAMES.reset(token)


def test_every_kind_has_a_precheck():
    """A keyword the pre-check is not trusted with turns it off for that kind: review it, then add it."""
    assert all(spec_schema._precheck_for(kind) is not None for kind in spec_schema.kind_schemas())


def test_a_keyword_it_is_not_trusted_with_turns_the_precheck_off():
    files = spec_schema._schema_files()
    assert spec_schema._prechecked({"type": "object", "properties": {"a": {"minimum": 1}}}, files, set())
    assert not spec_schema._prechecked({"properties": {"a": {"format": "date"}}}, files, set())
    assert not spec_schema._prechecked({"patternProperties": {"^a$": {}}}, files, set())
    assert not spec_schema._prechecked({"items": {"maximum": 2 ** 60}}, files, set())
    assert not spec_schema._prechecked({"$ref": "stack-config.json#/properties/config"}, files, set())


def test_examples_pass_both(declared):
    assert len(EXAMPLES) >= 30
    assert {d["kind"] for d in EXAMPLES} == set(spec_schema.kind_schemas())
    for data in EXAMPLES:
        assert spec_schema.passes_precheck(data), (data["kind"], data["metadata"]["name"])
        assert _full_valid(data)


def test_an_undeclared_reference_fails_both():
    token = spec_schema.DECLARED_NAMES.set({})
    try:
        routes = [d for d in EXAMPLES if d["kind"] == "Route"]
        assert routes and not any(spec_schema.passes_precheck(d) or _full_valid(d) for d in routes)
    finally:
        spec_schema.DECLARED_NAMES.reset(token)


@pytest.mark.parametrize("index", range(len(EXAMPLES)))
def test_broken_examples_agree(declared, index):
    data = EXAMPLES[index]
    for path in _paths(data):
        if not path or path == ("kind",):
            continue
        for value in HOSTILE:
            _agree(_replaced(data, path, value))
        _agree(_removed(data, path))
        if isinstance(_at(data, path), dict):
            _agree(_replaced(data, (*path, "unknownField"), "x"))


def _at(data, path):
    for token in path:
        data = data[token]
    return data


STRATEGIES = kind_strategies()
# 10 documents per kind in the suite (hypothesis-jsonschema takes about a second each for the larger
# kinds); STREAMPLANE_PRECHECK_EXAMPLES=300 for a long run.
GENERATED = settings(max_examples=int(os.environ.get("STREAMPLANE_PRECHECK_EXAMPLES", "10")), deadline=None, derandomize=True, database=None,
                     suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])


@pytest.mark.parametrize("kind", sorted(STRATEGIES))
def test_generated_documents_agree(declared, kind):
    @GENERATED
    @given(document=STRATEGIES[kind], pick=st.integers(0, 10 ** 6), value=st.sampled_from(HOSTILE))
    def one(document, pick, value):
        _agree(document)
        paths = [p for p in _paths(document) if p and p != ("kind",)]
        if paths:
            path = paths[pick % len(paths)]
            _agree(_replaced(document, path, value))
            _agree(_removed(document, path))

    one()
