"""Whole-platform synth against the typed bare baseline, and growth with size, in one run of interleaved
fresh interpreters: per size and pair, the streamplane synth (load + validation, then synth), then the
bare replay of its graph under the stock SDK runtime and under streamplane's tuned runtime (bench/bare.py).

CPU seconds (`time.process_time` of the worker: every thread) are the figure; wall seconds beside
them mean something only on an idle host. Peak RSS is each worker's own (`ru_maxrss`).

    python bench/paired.py --sizes 200 2000 --pairs 1
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


def synth_worker(routes: int, graph_file: str) -> dict:
    from bench.generate import layers
    from components.platform import Platform
    from streamplane.settings import StackSettings
    from streamplane.spec import load_layers
    from streamplane.stackconfig import load_stack_config
    from streamplane.synth import run_offline
    from streamplane.synth.graph import dumps

    config, secrets = load_stack_config(ROOT / "stacks", "dev")
    with tempfile.TemporaryDirectory() as tmp:
        spec_layers = layers(Path(tmp), ROOT / "stacks", routes, "head")
        wall, cpu = time.perf_counter(), time.process_time()
        spec = load_layers(spec_layers, "dev").spec
        load_cpu, load_wall = time.process_time() - cpu, time.perf_counter() - wall
    wall, cpu = time.perf_counter(), time.process_time()
    graph = run_offline(lambda: Platform(spec, StackSettings.from_config("dev")), "dev", config, secrets)
    synth_cpu, synth_wall = time.process_time() - cpu, time.perf_counter() - wall
    if not Path(graph_file).is_file():
        Path(graph_file).write_text(dumps(graph), encoding="utf-8")
    return {"kind": "synth", "routes": routes, "resources": len(graph["resources"]),
            "load_cpu_s": load_cpu, "load_wall_s": load_wall, "cpu_s": synth_cpu, "wall_s": synth_wall,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def spawn(*args: str) -> dict:
    out = subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"worker {' '.join(args)} failed:\n{out.stderr[-3000:]}")
    lines = out.stdout.strip().splitlines()
    return json.loads(lines[-1]) if lines else {}


def median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def spread(runs: list[dict], key: str) -> str:
    values = [r[key] for r in runs]
    return f"{statistics.median(values):.2f} ({min(values):.2f}-{max(values):.2f})"


def report(rows: dict[int, dict[str, list[dict]]]) -> str:
    lines = ["| routes | resources | load CPU s | synth CPU s | synth wall s | bare stock CPU s | bare tuned CPU s | "
             "synth / bare stock | synth / bare tuned | peak RSS MB synth (bare stock, bare tuned) |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for routes, runs in sorted(rows.items()):
        synth, stock, tuned = runs["synth"], runs["stock"], runs["tuned"]
        lines.append(
            f"| {routes} | {synth[0]['resources']} | {spread(synth, 'load_cpu_s')} | {spread(synth, 'cpu_s')} | "
            f"{spread(synth, 'wall_s')} | {spread(stock, 'cpu_s')} | {spread(tuned, 'cpu_s')} | "
            f"{median(synth, 'cpu_s') / median(stock, 'cpu_s'):.2f}x | {median(synth, 'cpu_s') / median(tuned, 'cpu_s'):.2f}x | "
            f"{median(synth, 'peak_rss_mb'):.0f} ({median(stock, 'peak_rss_mb'):.0f}, {median(tuned, 'peak_rss_mb'):.0f}) |")
    sizes = sorted(rows)
    for size in sizes[1:]:
        small, big = rows[sizes[0]]["synth"], rows[size]["synth"]
        growth = (median(big, "load_cpu_s") + median(big, "cpu_s")) / (median(small, "load_cpu_s") + median(small, "cpu_s"))
        lines.append(f"\nGrowth {sizes[0]} -> {size} routes (load + synth, CPU medians): {growth:.1f}x")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 2000])
    parser.add_argument("--pairs", type=int, default=1)
    parser.add_argument("--no-bare", type=int, nargs="*", default=[], help="Sizes to measure without the bare replays.")
    parser.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(synth_worker(int(args.worker[0]), args.worker[1])))
        return
    rows: dict[int, dict[str, list[dict]]] = {}
    with tempfile.TemporaryDirectory(prefix="streamplane-paired-") as tmp:
        classes = str(Path(tmp) / "classes.json")
        spawn(str(ROOT / "bench" / "bare.py"), "--classes", classes)
        for routes in args.sizes:
            graph = str(Path(tmp) / f"head-{routes}.json")
            runs: dict[str, list[dict]] = {"synth": [], "stock": [], "tuned": []}
            for _ in range(args.pairs):
                runs["synth"].append(spawn(__file__, "--worker", str(routes), graph))
                print(json.dumps(runs["synth"][-1]), flush=True)
                if routes in args.no_bare:
                    continue
                for runtime in ("stock", "tuned"):
                    runs[runtime].append(spawn(str(ROOT / "bench" / "bare.py"), "--graph", graph, "--classes", classes,
                                               "--runtime", runtime))
                    print(json.dumps(runs[runtime][-1]), flush=True)
            if routes in args.no_bare:
                runs["stock"] = runs["tuned"] = [{"cpu_s": float("nan"), "peak_rss_mb": float("nan")}]
            rows[routes] = runs
    print(report(rows))


if __name__ == "__main__":
    main()
