"""`plan` with a head synthesized by partition in worker processes: the same plan, and a worker's
error reaches the user as the CLI reports any other (streamplane/synth/workers.py)."""

from __future__ import annotations

import pytest

import streamplane.synth as synth
from tests import worker_jobs
from tests.conftest import run_cli


@pytest.fixture
def partitioned(monkeypatch):
    """Every stack is synthesized in two partitions, whatever its size."""
    monkeypatch.setattr(synth, "partition_count", lambda spec, workers=1: 2)


def test_a_plan_from_worker_partitions_equals_the_in_process_plan(capsys, monkeypatch):
    code, in_process, _ = run_cli(["plan", "--stack", "staging", "--format", "json"], capsys)
    assert code == 0
    monkeypatch.setattr(synth, "partition_count", lambda spec, workers=1: 2)
    code, in_workers, _ = run_cli(["plan", "--stack", "staging", "--format", "json", "--workers", "2"], capsys)
    assert code == 0
    assert in_workers == in_process


def test_a_spec_error_raised_in_a_worker_is_a_located_error(capsys, monkeypatch, partitioned):
    monkeypatch.setattr(synth, "synth_job", worker_jobs.located_error)
    code, out, err = run_cli(["plan", "--stack", "dev", "--workers", "2"], capsys)
    assert code == 1 and out == ""
    assert err.splitlines()[0].startswith("stacks/dev/streams.yaml:3:5: /spec/partitions: SynthJob(")
    assert err.splitlines()[-1] == "1 error(s); nothing was written."
    assert "Traceback" not in err


@pytest.mark.last_resort
def test_a_worker_that_dies_is_an_internal_error(capsys, monkeypatch, partitioned):
    monkeypatch.setattr(synth, "synth_job", worker_jobs.crash)
    code, out, err = run_cli(["plan", "--stack", "dev", "--workers", "2"], capsys)
    assert code == 1 and out == ""
    assert err.startswith("internal error (a streamplane bug, please report it): WorkerCrashed: a synth worker "
                          "process died before answering")
    assert "Traceback" not in err


def test_workers_must_be_a_positive_count(capsys):
    code, _, err = run_cli(["plan", "--stack", "dev", "--workers", "0"], capsys)
    assert code == 1 and "--workers" in err
