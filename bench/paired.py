"""Whole-platform synth against the typed bare baseline, and growth with size, in one run of interleaved
fresh interpreters: per size and pair, the streamplane synth (load + validation, then synth), then the
bare replay of its graph under the stock SDK runtime and under streamplane's tuned runtime (bench/bare.py).

CPU seconds (`time.process_time` of the worker: every thread) are the figure; wall seconds beside
them mean something only on an idle host. Peak RSS is each worker's own (`ru_maxrss`).

    python bench/paired.py --sizes 200 2000 --pairs 1 [--parallel]
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
    from streamplane.checks import load_layers
    from streamplane.settings import StackSettings
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
    return collect(start(*args), args)


def start(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def collect(process: subprocess.Popen, args: tuple[str, ...]) -> dict:
    stdout, stderr = process.communicate()
    if process.returncode != 0:
        raise SystemExit(f"worker {' '.join(args)} failed:\n{stderr[-3000:]}")
    lines = stdout.strip().splitlines()
    return json.loads(lines[-1]) if lines else {}


def run_all(commands: list[tuple[str, ...]], parallel: bool) -> list[dict]:
    """Run the workers one after another, or all at once (each figure is the worker's own CPU time)."""
    if not parallel:
        return [spawn(*c) for c in commands]
    started = [start(*c) for c in commands]
    return [collect(p, c) for p, c in zip(started, commands, strict=True)]


def median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def spread(runs: list[dict], key: str) -> str:
    """Median (min-max) of `key`; "-" for a figure not measured (a --no-bare size)."""
    values = [r[key] for r in runs]
    if not values:
        return "-"
    return f"{statistics.median(values):.2f} ({min(values):.2f}-{max(values):.2f})"


def ratio(synth: list[dict], bare: list[dict]) -> str:
    return f"{median(synth, 'cpu_s') / median(bare, 'cpu_s'):.2f}x" if bare else "-"


def peak(runs: list[dict]) -> str:
    return f"{median(runs, 'peak_rss_mb'):.0f}" if runs else "-"


def report(rows: dict[int, dict[str, list[dict]]]) -> str:
    lines = ["| routes | resources | load CPU s | synth CPU s | synth wall s | bare stock CPU s | bare tuned CPU s | "
             "synth / bare stock | synth / bare tuned | peak RSS MB synth (bare stock, bare tuned) |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for routes, runs in sorted(rows.items()):
        synth, stock, tuned = runs["synth"], runs["stock"], runs["tuned"]
        lines.append(
            f"| {routes} | {synth[0]['resources']} | {spread(synth, 'load_cpu_s')} | {spread(synth, 'cpu_s')} | "
            f"{spread(synth, 'wall_s')} | {spread(stock, 'cpu_s')} | {spread(tuned, 'cpu_s')} | "
            f"{ratio(synth, stock)} | {ratio(synth, tuned)} | {peak(synth)} ({peak(stock)}, {peak(tuned)}) |")
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
    parser.add_argument("--parallel", action="store_true",
                        help="Start the synth workers of all sizes at once, then all bare replays (a busy host).")
    parser.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(synth_worker(int(args.worker[0]), args.worker[1])))
        return
    rows: dict[int, dict[str, list[dict]]] = {r: {"synth": [], "stock": [], "tuned": []} for r in args.sizes}
    with tempfile.TemporaryDirectory(prefix="streamplane-paired-") as tmp:
        classes = str(Path(tmp) / "classes.json")
        spawn(str(ROOT / "bench" / "bare.py"), "--classes", classes)
        graphs = {routes: str(Path(tmp) / f"head-{routes}.json") for routes in args.sizes}
        for _ in range(args.pairs):
            # Every size's synth, then every size's bare replays: each pair is close in time.
            synths: list[tuple[str, ...]] = [(__file__, "--worker", str(routes), graphs[routes]) for routes in args.sizes]
            for routes, run in zip(args.sizes, run_all(synths, args.parallel), strict=True):
                rows[routes]["synth"].append(run)
                print(json.dumps(run), flush=True)
            bares = [(routes, runtime) for routes in args.sizes if routes not in args.no_bare for runtime in ("stock", "tuned")]
            commands: list[tuple[str, ...]] = [(str(ROOT / "bench" / "bare.py"), "--graph", graphs[routes], "--classes", classes,
                         "--runtime", runtime) for routes, runtime in bares]
            for (routes, runtime), run in zip(bares, run_all(commands, args.parallel), strict=True):
                rows[routes][runtime].append(run)
                print(json.dumps(run), flush=True)
    print(report(rows))


if __name__ == "__main__":
    main()
