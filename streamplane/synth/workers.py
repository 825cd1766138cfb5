"""Worker processes for syntheses that run side by side: one per core, or as many as asked.

The Pulumi mock runtime is process-global (root resource, config, pending outputs), so two syntheses
cannot share a process: a parallel synth is a process per synthesis. The pool is the standard
library's `concurrent.futures.ProcessPoolExecutor` with the "spawn" start method: the parent has
imported Pulumi (and gRPC) and may run threads (a plan waits for its base on one), and forking a
process that holds threads can copy a lock another thread holds (the CPython docs warn against
"fork" with threads; 3.12 deprecates it there). "spawn" starts each worker as a fresh interpreter
that imports the synth modules: measured here, about 1 CPU s per worker (`python -c "import
streamplane.synth"`: 0.9 s user), against 33-100 CPU s of the syntheses that use workers.
"forkserver" would fork each worker from a preloaded server for less, but its workers are the
server's children, not this process's: `getrusage(RUSAGE_CHILDREN)` (how bench/ counts a plan's
CPU) would miss them, and stopping the server needs a private API.

`max_tasks_per_child` is not used: on CPython 3.11 it can deadlock a pool with queued tasks
(python/cpython gh-115634, fixed only in later releases).

What crosses the process boundary is plain data: the job (a validated spec and where its config is)
goes in, a JSON-serialisable graph comes out. A SpecError or RunError raised in a worker is sent back
as data and raised again here, so the user sees the same located error (exit 1); a worker that dies
(a crash, the OOM killer) breaks the pool and is reported as an internal error, never a hang.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Any, TypeVar

import pulumi

from ..errors import Problem, SpecError

WORKERS_ENV = "STREAMPLANE_WORKERS"
"""How many worker processes a synth may use; default: one per core (os.cpu_count())."""
START_METHOD = "spawn"

J = TypeVar("J")


class WorkerCrashed(RuntimeError):
    """A worker process died before answering: a bug or the machine (memory), not the user's spec."""


def worker_count(requested: int | None = None) -> int:
    """`requested`, else $STREAMPLANE_WORKERS, else the number of cores; at least 1."""
    if requested is None:
        text = os.environ.get(WORKERS_ENV, "").strip()
        if text:
            try:
                requested = int(text)
            except ValueError:
                raise SpecError([Problem(None, f"${WORKERS_ENV}",
                                         f'must be a whole number of worker processes, got "{text}".')]) from None
        else:
            requested = os.cpu_count() or 1
    return max(1, requested)


def head_and_base_workers(workers: int, base_synthesizes: bool = True) -> tuple[int, int]:
    """How `workers` processes are shared when head and base synthesize at once: half each (the base
    the smaller half), at least one each. A base that synthesizes nothing (read from the cache)
    leaves the head every worker."""
    if not base_synthesizes:
        return workers, 1
    base = max(1, workers // 2)
    return max(1, workers - base), base


def _context() -> multiprocessing.context.BaseContext:
    return multiprocessing.get_context(START_METHOD)


def _answer(function: Callable[[J], object], job: J, cwd: str) -> tuple[str, object]:
    """Run one job in a worker; user errors come back as data (their problems, or the message)."""
    # Locations are printed relative to the working directory: the parent's when it submitted.
    os.chdir(cwd)
    try:
        return "graph", function(job)
    except SpecError as err:
        return "spec-error", err.problems
    except pulumi.RunError as err:
        return "run-error", str(err)


def _raise_or_return(answer: tuple[str, object]) -> Any:
    kind, value = answer
    if kind == "spec-error":
        raise SpecError(list(value))  # type: ignore[call-overload]
    if kind == "run-error":
        raise pulumi.RunError(str(value))
    return value


@contextmanager
def pool(workers: int) -> Iterator[ProcessPoolExecutor]:
    executor = ProcessPoolExecutor(max_workers=workers, mp_context=_context())
    try:
        yield executor
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def run_jobs(function: Callable[[J], dict], jobs: Iterable[J], workers: int) -> list[dict]:
    """`function(job)` for every job, in worker processes (at most `workers` at once), in job order.
    `function` must be a module-level function (the worker imports it by name)."""
    jobs = list(jobs)
    with pool(min(workers, len(jobs)) or 1) as executor:
        return collect([submit(executor, function, job) for job in jobs])


def submit(executor: ProcessPoolExecutor, function: Callable[[J], object], job: J) -> Future:
    """Start `function(job)` in one of `executor`'s workers; read its answer with collect."""
    return executor.submit(_answer, function, job, os.getcwd())


def collect(futures: Iterable[Future]) -> list[Any]:
    """The graphs of submitted jobs, in order: the first user error is raised as is; a dead worker
    is a WorkerCrashed."""
    try:
        return [_raise_or_return(future.result()) for future in futures]
    except BrokenProcessPool as err:
        raise WorkerCrashed(f"a synth worker process died before answering ({err}); "
                            "if the machine is short of memory, lower $STREAMPLANE_WORKERS") from None


__all__ = ["START_METHOD", "WORKERS_ENV", "WorkerCrashed", "collect", "head_and_base_workers", "pool", "run_jobs", "submit", "worker_count"]
