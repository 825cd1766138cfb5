"""Long fuzz run (issue 18): mutated specs through `validate`, mutated previews and event logs through
`review`, mutated state exports through `plan --state`, each through the in-process CLI entry point,
with the same strategies as the in-suite fuzz (tests/hostile/mutations.py) and a fresh random seed.
Not a test. Prints the outcome counts per target (the table in bench/README.md, section "Fuzz") and
saves every bad case (traceback, internal error, unlocated message, unexpected exit) to --save.

    .venv/bin/python bench/fuzz.py --cases 10050
"""

from __future__ import annotations

import argparse
import collections
import platform as host
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

TARGETS = {
    # name: (strategy, runner, allowed exit codes)
    "spec -> validate": (spec_cases(), lambda folder, case: run_spec(folder, case), frozenset({0, 1})),
    "preview/event log -> review": (preview_cases(), lambda folder, case: run_review(folder, *case), frozenset({0, 1, 3})),
    "state export -> plan --state": (state_cases(), lambda folder, case: run_state(folder, case), frozenset({0, 1, 3})),
}


def fuzz(name: str, cases: int, save: Path) -> tuple[collections.Counter, float]:
    strategy, runner, allowed = TARGETS[name]
    counts: collections.Counter = collections.Counter()
    started = time.monotonic()

    @settings(max_examples=cases, deadline=None, database=None, derandomize=False,
              suppress_health_check=list(HealthCheck))
    @given(case=strategy)
    def one(case):
        with tempfile.TemporaryDirectory(prefix="streamplane-fuzz-") as tmp:
            code, _out, err = runner(Path(tmp), case)
        result = outcome(code, err, allowed)
        counts[result] += 1
        if result in BAD or result.startswith("exit-"):
            save.mkdir(parents=True, exist_ok=True)
            (save / f"{name.split()[0].replace('/', '-')}-{sum(counts.values())}.txt").write_text(
                f"{result}\n{err[-4000:]}\n{case!r}\n"[:200_000], encoding="utf-8")

    one()
    return counts, time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=10_050, help="total cases, split evenly across the targets")
    parser.add_argument("--save", type=Path, default=ROOT / "bench" / "results" / "fuzz", help="where bad cases go")
    args = parser.parse_args()
    per_target = max(1, args.cases // len(TARGETS))
    print(f"Fuzz run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {host.machine()} "
          f"(CPython {host.python_version()}), `bench/fuzz.py --cases {args.cases}`.\n")
    print("| target | cases | accepted (exit 0) | refused (exit 1, located) | blocked (exit 3) | traceback | internal error | unlocated | other exit | s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    total_bad = 0
    for name in TARGETS:
        counts, seconds = fuzz(name, per_target, args.save)
        other = sum(n for k, n in counts.items() if k.startswith("exit-"))
        bad = counts["traceback"] + counts["internal-error"] + counts["unlocated"] + other
        total_bad += bad
        print(f"| {name} | {sum(counts.values())} | {counts['ok']} | {counts['user-error']} | {counts['blocked']} | "
              f"{counts['traceback']} | {counts['internal-error']} | {counts['unlocated']} | {other} | {seconds:.0f} |", flush=True)
    print(f"\n{total_bad} bad case(s)" + (f", saved to {args.save}" if total_bad else "") + ".")
    sys.exit(1 if total_bad else 0)


if __name__ == "__main__":
    main()
