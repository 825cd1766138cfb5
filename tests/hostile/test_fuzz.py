"""In-suite fuzz (issue 18): mutated specs, previews, event logs and state exports through the CLI
entry points never crash it. Each accepted input exits 0 (or 3: blocked), each refused one exits 1
with located lines. Derandomized, so CI runs the same cases every time; bench/fuzz.py runs many more."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from tests.hostile.mutations import outcome, preview_cases, run_review, run_spec, run_state, spec_cases, state_cases

FUZZ = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@contextlib.contextmanager
def _folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="streamplane-fuzz-") as tmp:
        yield Path(tmp)


@FUZZ
@given(files=spec_cases())
def test_mutated_specs_never_crash_validate(files):
    with _folder() as folder:
        code, out, err = run_spec(folder, files)
    assert outcome(code, err, frozenset({0, 1})) in ("ok", "user-error"), (code, err[-2000:])
    if code == 1:
        assert out == ""


@FUZZ
@given(case=preview_cases())
def test_mutated_previews_never_crash_review(case):
    content, event_log = case
    with _folder() as folder:
        code, _out, err = run_review(folder, content, event_log)
    assert outcome(code, err, frozenset({0, 1, 3})) in ("ok", "user-error", "blocked"), (code, err[-2000:])


@FUZZ
@given(content=state_cases())
def test_mutated_state_exports_never_crash_plan(content):
    with _folder() as folder:
        code, _out, err = run_state(folder, content)
    assert outcome(code, err, frozenset({0, 1, 3})) in ("ok", "user-error", "blocked"), (code, err[-2000:])
