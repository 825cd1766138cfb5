"""Schema-generated fuzz (issue 18 Build 6): documents generated from every schema in schemas/
(hypothesis-jsonschema), each added to the example dev stack, through the in-process CLI: `validate`,
then `plan` (which synthesizes) when it is accepted. Every run exits 0 (or 3: blocked, for plan) or
1 with located lines, never a traceback or the last-resort internal error. Derandomized, so CI runs
the same cases every time; bench/fuzz.py runs many more."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from streamplane.spec.schema import kind_schemas
from tests.hostile.mutations import outcome
from tests.hostile.schema_cases import SCHEMAS, UNGENERATABLE, kind_strategies, run_generated

STRATEGIES = kind_strategies()
ALLOWED = {"validate": frozenset({0, 1}), "plan": frozenset({0, 1, 3})}
EXAMPLES_PER_KIND = 6
FUZZ = settings(max_examples=EXAMPLES_PER_KIND, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])


def test_every_schema_generates():
    assert sorted(STRATEGIES) == sorted(set(kind_schemas(SCHEMAS)) - set(UNGENERATABLE))
    assert not UNGENERATABLE


@pytest.mark.parametrize("kind", sorted(STRATEGIES))
def test_generated_documents_never_crash_the_cli(kind):
    @FUZZ
    @given(document=STRATEGIES[kind])
    def one(document):
        with tempfile.TemporaryDirectory(prefix="streamplane-schema-fuzz-") as tmp:
            runs = run_generated(Path(tmp), document)
        for command, code, out, err in runs:
            assert outcome(code, err, ALLOWED[command]) in ("ok", "user-error", "blocked"), (command, code, err[-2000:])
            if code == 1:
                assert out == ""

    one()
