"""Interleaved A/B of the offline synth with and without the runtime tuning (gc + source positions).

Each run is a fresh interpreter; pairs alternate A, B so a shared host's load hits both alike. Reports
CPU seconds (the child's process time) beside wall seconds, median and spread (min-max) per variant.

    python bench/ab_synth.py --routes 200 --pairs 3
"""

from __future__ import annotations

import argparse
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


def worker(routes: int, tuned: bool) -> dict:
    import contextlib

    from bench.generate import layers
    from components.platform import Platform
    from streamplane import synth
    from streamplane.checks import load_layers
    from streamplane.settings import StackSettings
    from streamplane.stackconfig import load_stack_config

    if not tuned:
        synth.tuned_synth_runtime = contextlib.nullcontext  # type: ignore[assignment]
    with tempfile.TemporaryDirectory() as tmp:
        spec = load_layers(layers(Path(tmp), ROOT / "stacks", routes, "head"), "dev").spec
    config, secrets = load_stack_config(ROOT / "stacks", "dev")
    wall, cpu = time.perf_counter(), time.process_time()
    graph = synth.run_offline(lambda: Platform(spec, StackSettings.from_config("dev")), "dev", config, secrets)
    return {"wall_s": time.perf_counter() - wall, "cpu_s": time.process_time() - cpu,
            "resources": len(graph["resources"]),
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--routes", type=int, default=200)
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--worker", choices=["tuned", "plain"])
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.routes, args.worker == "tuned")))
        return
    results: dict[str, list[dict]] = {"plain": [], "tuned": []}
    for _ in range(args.pairs):
        for variant in ("plain", "tuned"):
            out = subprocess.run([sys.executable, __file__, "--routes", str(args.routes), "--worker", variant],
                                 check=True, capture_output=True, text=True, cwd=ROOT).stdout
            results[variant].append(json.loads(out.splitlines()[-1]))
    for variant, runs in results.items():
        for key in ("cpu_s", "wall_s", "peak_rss_mb"):
            values = [r[key] for r in runs]
            print(f"{variant:6} {key:12} median {statistics.median(values):8.2f}  spread {min(values):.2f}-{max(values):.2f}")
    ratio = statistics.median(r["cpu_s"] for r in results["tuned"]) / statistics.median(r["cpu_s"] for r in results["plain"])
    print(f"tuned/plain CPU (medians): {ratio:.2f}; resources {results['tuned'][0]['resources']}")


if __name__ == "__main__":
    main()
