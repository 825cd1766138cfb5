"""Jobs for worker-process tests (tests/synth/test_workers.py): a worker imports a job's function by
module name, so they live in an importable module, not in the test file."""

from __future__ import annotations

import os

from streamplane.errors import Location, Problem, SpecError


def located_error(job: str) -> dict:
    raise SpecError([Problem(Location("stacks/dev/streams.yaml", 3, 5), "/spec/partitions", f"{job}: must be positive.")])


def crash(job: str) -> dict:
    os._exit(7)  # a worker dying without an answer, as the OOM killer would leave it


def echo(job: str) -> dict:
    return {"job": job, "pid": os.getpid()}
