"""A text composed without `_prescan`'s token pass first (streamplane.spec.source._composable_unscanned)
reads exactly as with the pass first: same documents, marks and problems, for the example stacks,
texts nested around MAX_DEPTH in every way YAML nests, and mutated spec texts (tests/hostile)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from streamplane.spec import source
from tests.conftest import REPO
from tests.hostile.mutations import HOSTILE_SCALARS, mutated_text, seed_specs


def _scanned_first(text: str, file: str) -> tuple[list, list]:
    """load_text as it was: the token pass decides first."""
    refused = source._prescan(text, file)
    if refused:
        return [], [refused]
    return source._parse(text, file, "spec")


def _same(text: str) -> None:
    # repr: a NaN in the data is not equal to itself
    assert repr(source.load_text(text, "f.yaml")) == repr(_scanned_first(text, "f.yaml")), text[:300]


def _block(depth: int) -> str:
    return "".join(f"{'  ' * i}k{i}:\n" for i in range(depth)) + "  " * depth + "leaf: 1\n"


def _indentless(depth: int) -> str:
    """Mappings holding sequences at their own column: two collections per indent."""
    return "k0:\n" + "".join(f"{'  ' * (i - 1)}- k{i}:\n" for i in range(1, depth)) + "  " * (depth - 1) + "- x\n"


def _compact(depth: int) -> str:
    return "- " * depth + "x\n"


def _flow(depth: int) -> str:
    return "k: " + "[" * depth + "1" + "]" * depth + "\n"


def _flow_pairs(depth: int) -> str:
    return "k: " + "[a: " * depth + "1" + "]" * depth + "\n"


SHAPES = [_block, _indentless, _compact, _flow, _flow_pairs]
DEPTHS = [1, 31, 32, 33, 62, 63, 64, 65, 66, 128, 129, 400, 1200]


def test_the_example_stacks_are_composed_unscanned_and_read_the_same():
    files = sorted((REPO / "stacks").rglob("*.yaml"))
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        _same(text)
    assert source._composable_unscanned((REPO / "stacks" / "dev" / "routes.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("shape", SHAPES, ids=lambda f: f.__name__)
def test_nesting_around_the_limit_reads_the_same(shape):
    for depth in DEPTHS:
        text = shape(depth)
        _same(text)
        _same("a: 1\n---\n" + text)
        _same(text + "---\n" + _flow(3))
        _same(text + "x: &a 1\n")
        _same(text + "bad: [\n")


def test_the_nesting_refusal_is_the_token_passes():
    loaded = source.load_text(_block(70), "f.yaml")
    assert loaded[0] == [] and [p.message for p in loaded[1]] == [
        f"nesting deeper than {source.MAX_DEPTH} levels; a spec needs far fewer. Flatten the document."]
    # the same depth in composed nodes, half of them indentless sequences: within the token pass's limit
    assert source.load_text(_indentless(40), "f.yaml")[1] == []


@pytest.mark.parametrize("text", [
    "a: [\n---\nb: [[[\n---\nc: 1\n",  # a flow left open across documents (the token pass counts on)
    "a: [\n---\t\nb: " + "[" * 70 + "\n",
    "a: {b: [c, {d: e}]}\n...\n---\nf: g\n",
    "k: 'it''s [ ] { }'\n# [[[[ a comment\nl: \"]]]\"\n",
    "k: |\n  [[[[\n  ---\n---\nl: 1\n",
    "k: v\n" + "# " + "x" * 3000 + "\n",
    "k: " + "x" * 3000 + "\n",
    "x: 1\r---\rk: " + "[" * 70 + "1" + "]" * 70 + "\n",
    "\ufeffk: v\n",
    "k: v\x00\n",
    "k: =\n",
    "<<: {a: 1}\n",
    "? [a, b]\n: c\n",
    "k: {a: 1, a: 2}\n",
    "- 1\n- a: b\n  a: c\n",
    "",
    "---\n...\n",
    "just a scalar\n",
])
def test_edge_texts_read_the_same(text):
    _same(text)


SEEDS = sorted(seed_specs().items())


@settings(max_examples=150, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
@given(data=st.data())
def test_mutated_specs_read_the_same(data):
    _, text = data.draw(st.sampled_from(SEEDS))
    text = data.draw(mutated_text(text))
    _same(text)
    _same(text.replace(data.draw(st.sampled_from(["&", "*", "!"])), ""))


@given(scalar=st.sampled_from(HOSTILE_SCALARS), depth=st.sampled_from(DEPTHS[:9]), shape=st.sampled_from(SHAPES))
@settings(max_examples=150, deadline=None, derandomize=True, database=None)
def test_hostile_values_in_nested_texts_read_the_same(scalar, depth, shape):
    _same(shape(depth).replace("1", scalar, 1).replace("x", scalar, 1))
