"""Long fuzz run (issue 18): mutated specs through `validate`, mutated previews and event logs through
`review`, mutated state exports through `plan --state`, documents generated from schemas/ through
`validate` and (when accepted) `plan`, each through the in-process CLI entry point, with the same
strategies as the in-suite fuzz (tests/hostile/mutations.py, tests/hostile/schema_cases.py) and a
fresh random seed.
Not a test. Prints the outcome counts per target (the table in bench/README.md, section "Fuzz") and
saves every bad case (traceback, internal error, unlocated message, unexpected exit) to --save.

    .venv/bin/python bench/fuzz.py --cases 10050
"""

from __future__ import annotations

import argparse
import collections
import platform as host
import signal
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.hostile.mutations import (  # noqa: E402  (the repository root goes on the path first)
    BAD,
    outcome,
    preview_cases,
    run_review,
    run_spec,
    run_state,
    spec_cases,
    state_cases,
)
from tests.hostile.schema_cases import kind_strategies, run_generated, spec_document_cases  # noqa: E402

Run = tuple[str, int, str, str]  # command, exit code, stdout, stderr

HANG_SECONDS = 120
"""A case still running after this many wall seconds counts as a hang (a bad case): the schema fuzz once
met a counting loop that never ended on a generated taskCount of 10^12."""


class Hang(BaseException):
    """Raised by SIGALRM inside a case; a BaseException so the CLI's last-resort handler lets it through."""


def _alarm(_signum, _frame):
    raise Hang

TARGETS: dict[str, tuple] = {
    # name: (strategy, runner -> the commands run, allowed exit codes per command)
    "spec -> validate": (spec_cases(), lambda folder, case: [("validate", *run_spec(folder, case))], {"validate": frozenset({0, 1})}),
    "preview/event log -> review": (preview_cases(), lambda folder, case: [("review", *run_review(folder, *case))],
                                    {"review": frozenset({0, 1, 3})}),
    "state export -> plan --state": (state_cases(), lambda folder, case: [("plan", *run_state(folder, case))],
                                     {"plan": frozenset({0, 1, 3})}),
    "schema-generated -> validate, plan": (spec_document_cases(kind_strategies()),
                                           lambda folder, case: run_generated(folder, case[1]),
                                           {"validate": frozenset({0, 1}), "plan": frozenset({0, 1, 3})}),
}


def classify(runs: list[Run], allowed: dict[str, frozenset[int]]) -> str:
    """The first bad outcome among the commands run, else the last command's."""
    results = [outcome(code, err, allowed[command]) for command, code, _out, err in runs]
    return next((r for r in results if r in BAD or r.startswith("exit-")), results[-1])


def fuzz(name: str, cases: int, save: Path) -> tuple[collections.Counter, float, float]:
    strategy, runner, allowed = TARGETS[name]
    counts: collections.Counter = collections.Counter()
    started, cpu_started = time.monotonic(), time.process_time()

    @settings(max_examples=cases, deadline=None, database=None, derandomize=False,
              suppress_health_check=list(HealthCheck))
    @given(case=strategy)
    def one(case):
        with tempfile.TemporaryDirectory(prefix="streamplane-fuzz-") as tmp:
            previous = signal.signal(signal.SIGALRM, _alarm)
            signal.alarm(HANG_SECONDS)
            try:
                runs = runner(Path(tmp), case)
                result, err = classify(runs, allowed), runs[-1][3]
            except Hang:
                runs, result, err = [("hang", -1, "", "")], "hang", f"still running after {HANG_SECONDS} s"
            finally:
                signal.alarm(0)
                signal.signal(signal.SIGALRM, previous)
        counts[result] += 1
        counts["commands"] += len(runs)
        if result in BAD or result == "hang" or result.startswith("exit-"):
            save.mkdir(parents=True, exist_ok=True)
            (save / f"{name.split()[0].replace('/', '-')}-{sum(counts.values())}.txt").write_text(
                f"{result}\n{err[-4000:]}\n{case!r}\n"[:200_000], encoding="utf-8")

    one()
    return counts, time.monotonic() - started, time.process_time() - cpu_started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=10_050, help="total cases, split evenly across the targets")
    parser.add_argument("--save", type=Path, default=ROOT / "bench" / "results" / "fuzz", help="where bad cases go")
    parser.add_argument("--only", choices=sorted(TARGETS), action="append", help="run only these targets (repeat)")
    args = parser.parse_args()
    targets = args.only or list(TARGETS)
    per_target = max(1, args.cases // len(targets))
    print(f"Fuzz run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {host.machine()} "
          f"(CPython {host.python_version()}), `bench/fuzz.py --cases {args.cases}`.\n")
    print("| target | cases | CLI runs | accepted (exit 0) | refused (exit 1, located) | blocked (exit 3) | traceback "
          "| internal error | unlocated | other exit | hang | CPU s | wall s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    total_bad = 0
    for name in targets:
        counts, seconds, cpu = fuzz(name, per_target, args.save)
        other = sum(n for k, n in counts.items() if k.startswith("exit-"))
        bad = counts["traceback"] + counts["internal-error"] + counts["unlocated"] + other + counts["hang"]
        total_bad += bad
        cases = sum(n for k, n in counts.items() if k != "commands")
        print(f"| {name} | {cases} | {counts['commands']} | {counts['ok']} | {counts['user-error']} | {counts['blocked']} | "
              f"{counts['traceback']} | {counts['internal-error']} | {counts['unlocated']} | {other} | {counts['hang']} | {cpu:.0f} | {seconds:.0f} |",
              flush=True)
    print(f"\n{total_bad} bad case(s)" + (f", saved to {args.save}" if total_bad else "") + ".")
    sys.exit(1 if total_bad else 0)


if __name__ == "__main__":
    main()
