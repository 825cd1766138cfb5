"""Load + validation of the generated platform (`streamplane.checks.load_layers`, dev + N routes),
two source trees side by side: interleaved A/B pairs, each run a fresh process, CPU and wall medians.

    python bench/ab_load.py --before ../streamplane-before --after . --pairs 5 --routes 2000

`--before` / `--after`: roots of two streamplane checkouts (e.g. `git archive <commit> | tar -x -C DIR`).
The spec is generated once, by the `--after` tree, and both load the same files. `--warm` (the
figure bench/stages.py's `load_head` gives): the dev stack alone is loaded first in the same process,
as `bench.generate.layers` does, so imports and validators are built before the clock starts."""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

WORKER = """
import json, sys, time
from pathlib import Path
from streamplane.checks import load_layers
layers = [Path(p) for p in json.loads(sys.argv[1])]
if sys.argv[2] == "warm":  # as bench/stages.py's load_head: after bench.generate.layers loaded the dev stack
    load_layers(layers[:-1], "dev")
cpu, wall = time.process_time(), time.perf_counter()
spec = load_layers(layers, "dev").spec
print(json.dumps({"cpu_s": time.process_time() - cpu, "wall_s": time.perf_counter() - wall,
                  "documents": sum(len(v) for v in spec.objects.values())}))
"""

GENERATE = """
import json, sys
from pathlib import Path
from bench.generate import layers
print(json.dumps([str(p) for p in layers(Path(sys.argv[1]), Path("stacks"), int(sys.argv[2]), "head")]))
"""


def run(tree: Path, code: str, *args: str) -> str:
    out = subprocess.run([sys.executable, "-c", code, *args], cwd=tree, check=True, capture_output=True, text=True,
                         env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"}).stdout
    return out.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", type=Path, required=True)
    parser.add_argument("--after", type=Path, default=Path("."))
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--routes", type=int, default=2000)
    parser.add_argument("--warm", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        layers = run(args.after.resolve(), GENERATE, tmp, str(args.routes))
        results: dict[str, list[dict]] = {"before": [], "after": []}
        for _ in range(args.pairs):
            for name, tree in (("before", args.before), ("after", args.after)):
                results[name].append(json.loads(run(tree.resolve(), WORKER, layers, "warm" if args.warm else "cold")))
    for name, runs in results.items():
        cpu = [r["cpu_s"] for r in runs]
        wall = [r["wall_s"] for r in runs]
        print(f"{name}: documents {runs[0]['documents']}, CPU s median {statistics.median(cpu):.2f} "
              f"(min {min(cpu):.2f}, max {max(cpu):.2f}), wall s median {statistics.median(wall):.2f} "
              f"(min {min(wall):.2f}, max {max(wall):.2f})")


if __name__ == "__main__":
    main()
