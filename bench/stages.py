"""Stage-by-stage CPU and wall seconds of one plan of an N-route platform, in one fresh interpreter.

Every stage reports process CPU seconds (`time.process_time`: every thread of this process, the SDK's
worker threads included) beside wall seconds, and the run's peak RSS (`ru_maxrss`). CPU seconds are
the robust figure on a shared host; wall seconds only mean something on an idle one.

    python bench/stages.py --routes 2000                 # one stack: load, head + base synth, policies, diff, markdown
    python bench/stages.py --routes 2000 --variant plain # the same without the synth runtime tuning
    python bench/stages.py --routes 2000 --pairs 2       # interleaved tuned/plain pairs, medians and spread

Results are printed as JSON lines (one per run) and a summary table.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

STAGES = ("load_head", "synth_head", "load_base", "synth_base", "policies", "diff", "markdown")


class Clock:
    """CPU and wall seconds per named stage."""

    def __init__(self) -> None:
        self.stages: dict[str, dict[str, float]] = {}

    @contextlib.contextmanager
    def stage(self, name: str):
        wall, cpu = time.perf_counter(), time.process_time()
        yield
        self.stages[name] = {"cpu_s": time.process_time() - cpu, "wall_s": time.perf_counter() - wall}


def peak_rss_mb() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return usage / 1024  # Linux reports KiB


def worker(routes: int, tuned: bool) -> dict:
    from bench.generate import layers
    from components.platform import Platform
    from streamplane import synth
    from streamplane.checks import load_layers
    from streamplane.plan.pipeline import make_plan
    from streamplane.policy_offline import evaluate_policies
    from streamplane.render import render_markdown
    from streamplane.settings import StackSettings
    from streamplane.stackconfig import load_stack_config

    if not tuned:
        synth.tuned_synth_runtime = contextlib.nullcontext  # type: ignore[assignment]
    clock = Clock()
    config, secrets = load_stack_config(ROOT / "stacks", "dev")
    with tempfile.TemporaryDirectory() as tmp:
        head_layers = layers(Path(tmp), ROOT / "stacks", routes, "head")
        base_layers = layers(Path(tmp), ROOT / "stacks", routes, "base")
        with clock.stage("load_head"):
            head_spec = load_layers(head_layers, "dev").spec
        with clock.stage("synth_head"):
            head = synth.run_offline(lambda: Platform(head_spec, StackSettings.from_config("dev")), "dev", config, secrets)
        with clock.stage("load_base"):
            base_spec = load_layers(base_layers, "dev").spec
        with clock.stage("synth_base"):
            base = synth.run_offline(lambda: Platform(base_spec, StackSettings.from_config("dev")), "dev", config, secrets)
    with clock.stage("policies"):
        violations = evaluate_policies(head, "dev")
    with clock.stage("diff"):
        plan = make_plan("dev", "bench base", head, base, head_spec, base_spec)
    plan.policies = violations
    with clock.stage("markdown"):
        render_markdown(plan)
    return {"routes": routes, "variant": "tuned" if tuned else "plain", "resources": len(head["resources"]),
            "summary": plan.summary(), "stages": clock.stages, "peak_rss_mb": peak_rss_mb()}


def spawn(routes: int, variant: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--routes", str(routes), "--worker", variant],
                         check=True, capture_output=True, text=True, cwd=ROOT).stdout
    return json.loads(out.splitlines()[-1])


def summary(runs: list[dict]) -> str:
    lines = ["| variant | stage | CPU s median (spread) | wall s median (spread) |", "|---|---|---:|---:|"]
    for variant in sorted({r["variant"] for r in runs}):
        mine = [r for r in runs if r["variant"] == variant]
        for stage in STAGES:
            cpu = [r["stages"][stage]["cpu_s"] for r in mine]
            wall = [r["stages"][stage]["wall_s"] for r in mine]
            lines.append(f"| {variant} | {stage} | {statistics.median(cpu):.2f} ({min(cpu):.2f}-{max(cpu):.2f}) | "
                         f"{statistics.median(wall):.2f} ({min(wall):.2f}-{max(wall):.2f}) |")
        rss = [r["peak_rss_mb"] for r in mine]
        lines.append(f"| {variant} | peak RSS MB | {statistics.median(rss):.0f} ({min(rss):.0f}-{max(rss):.0f}) | |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--routes", type=int, default=2000)
    parser.add_argument("--pairs", type=int, default=0, help="Interleaved tuned/plain pairs (0: one tuned run).")
    parser.add_argument("--variant", choices=["tuned", "plain"], default="tuned")
    parser.add_argument("--worker", choices=["tuned", "plain"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.routes, args.worker == "tuned")))
        return
    order = [v for _ in range(args.pairs) for v in ("plain", "tuned")] or [args.variant]
    runs = []
    for variant in order:
        run = spawn(args.routes, variant)
        print(json.dumps(run), flush=True)
        runs.append(run)
    print(summary(runs))


if __name__ == "__main__":
    main()
