"""A one-route change reviewed on a sharded N-route platform: `plan --stack loadtest --base-ref HEAD`.

Builds a throwaway git repository holding this project's tracked files plus N generated routes in
the sharded `loadtest` environment (ten routes per owner, so N/10 owner stacks), commits it, changes
one stream's partitions, and runs the review per `--workers` value: once with an empty cache (cold:
the base of the touched stack is synthesized by the commit's own code in a subprocess), then
`--pairs` times with that cache (warm: the base comes from the cache), the warm runs of the
`--workers` values interleaved (A B A B ...), so that they share the host's conditions. Each run
is measured with its process tree (bench/proctree.py): wall seconds, CPU seconds of the plan and
every child, the largest process's peak RSS and the tree's summed peak. It also times, in process,
the comparison of every stack's inputs that decides what to synthesize. Prints JSON lines as it
goes, then a markdown table: median (min-max) per figure.

    python bench/sharded.py --routes 2000 --workers 1 2 --pairs 5
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.proctree import measure  # noqa: E402

ENV = "loadtest"
BENCH_CLUSTER = "bench"
BENCH_CONNECTION = """  streamplane:kafka:
    connections:
      bench:
        caCertFile: .kafka/loadtest/bench/ca.crt
        clientCertFile: .kafka/loadtest/bench/user.crt
        clientKeyFile: .kafka/loadtest/bench/user.key
"""


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), "-c", "user.email=b@b", "-c", "user.name=bench", *args],
                          check=True, capture_output=True, text=True).stdout


def make_repo(tmp: Path, routes: int) -> tuple[Path, Path]:
    from bench.generate import documents
    from streamplane.routing.kinds import router_name

    repo = tmp / "repo"
    for path in git(ROOT, "ls-files").splitlines():
        if (ROOT / path).is_file():
            (repo / path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / path, repo / path)
    spec_file = repo / "stacks" / ENV / "bench-routes.yaml"
    # The routes' streams go on a cluster of their own, managed elsewhere (engine existing): N routes'
    # partitions exceed what the example's MSK clusters may hold (the check phase says so).
    docs = documents(routes, "base")
    docs[0]["metadata"]["name"] = BENCH_CLUSTER
    docs[0]["spec"]["clientAuth"] = ["tls"]  # mutual TLS: the connection files below, no password
    for doc in docs:
        if doc["kind"] == "Stream":
            doc["spec"]["cluster"] = BENCH_CLUSTER
    # An existing cluster names each client's credential Secret (the connectivity check requires one
    # per principal): every stream's producers and every route's router.
    clients = sorted({p for d in docs if d["kind"] == "Stream" for p in d["spec"].get("producers", [])}
                     | {router_name(d["metadata"]["name"]) for d in docs if d["kind"] == "Route"})
    docs[0]["spec"]["existing"]["credentials"] = {c: f"{c}-kafka" for c in clients}
    with spec_file.open("w", encoding="utf-8") as handle:
        yaml.safe_dump_all(docs, handle, sort_keys=False)
    config = repo / "stacks" / f"Pulumi.{ENV}.yaml"
    config.write_text(config.read_text(encoding="utf-8") + BENCH_CONNECTION, encoding="utf-8")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "bench base")
    return repo, spec_file


def one_route_change(spec_file: Path) -> None:
    """events-00007 (owner team-000) grows from 12 to 24 partitions."""
    docs = list(yaml.safe_load_all(spec_file.read_text(encoding="utf-8")))
    for doc in docs:
        if doc["kind"] == "Stream" and doc["metadata"]["name"] == "events-00007":
            doc["spec"]["partitions"] = 24
    with spec_file.open("w", encoding="utf-8") as handle:
        yaml.safe_dump_all(docs, handle, sort_keys=False)


def timed_plan(repo: Path, cache: Path, out: Path, workers: int) -> dict:
    env = dict(os.environ, PYTHONPATH=str(repo), STREAMPLANE_CACHE_DIR=str(cache))
    result = measure([sys.executable, "-m", "streamplane.cli", "plan", "--stack", ENV, "--base-ref", "HEAD",
                      "--format", "markdown", "--out", str(out), "--workers", str(workers)], cwd=repo, env=env)
    if result["returncode"] not in (0, 2):
        raise SystemExit(f"plan failed ({result['returncode']}):\n{result['stderr'][-3000:]}")
    lines = out.read_text(encoding="utf-8").splitlines()
    head = lines[2] if len(lines) > 2 else ""  # a sharded plan's "Stacks planned: ..." line
    return {"workers": workers, "wall_s": result["wall_s"], "cpu_s": result["cpu_s"],
            "largest_rss_mb": result["largest_rss_mb"], "tree_rss_mb": result["tree_rss_mb"], "planned": head}


def touched_time(repo: Path) -> dict:
    """In process: load base and head specs, compare every stack's inputs."""
    from streamplane.checks import load_stack
    from streamplane.shards import shards_of, touched_shards

    stacks = repo / "stacks"
    with tempfile.TemporaryDirectory() as tmp:
        base_stacks = Path(tmp) / "stacks"
        subprocess.run(f"git -C {repo} archive HEAD stacks | tar -x -C {tmp}", shell=True, check=True)
        start_cpu, start = time.process_time(), time.perf_counter()
        head = load_stack(stacks, ENV).spec
        base = load_stack(base_stacks, ENV).spec
        loaded_cpu = time.process_time()
        touched = touched_shards(head, stacks, base, base_stacks, ENV)
        return {"load_both_cpu_s": loaded_cpu - start_cpu, "compare_cpu_s": time.process_time() - loaded_cpu,
                "wall_s": time.perf_counter() - start, "stacks": len(shards_of(head, ENV)),
                "touched": [s.stack for s in touched]}


FIGURES = (("wall_s", "wall s"), ("cpu_s", "CPU s (plan + children)"), ("largest_rss_mb", "largest process MB"),
           ("tree_rss_mb", "process tree MB"))


def spread(values: list[float]) -> str:
    if len(values) == 1:
        return f"{values[0]:.1f}"
    return f"{statistics.median(values):.1f} ({min(values):.1f}-{max(values):.1f})"


def table(runs: list[dict]) -> str:
    lines = ["| cache | workers | runs | " + " | ".join(name for _, name in FIGURES) + " |",
             "|---|---:|---:|" + "---:|" * len(FIGURES)]
    for cache in ("cold", "warm"):
        for workers in sorted({r["workers"] for r in runs}):
            mine = [r for r in runs if r["cache"] == cache and r["workers"] == workers]
            if mine:
                cells = " | ".join(spread([r[key] for r in mine]) for key, _ in FIGURES)
                lines.append(f"| {cache} | {workers} | {len(mine)} | {cells} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--routes", type=int, default=2000)
    parser.add_argument("--workers", type=int, nargs="+", default=[os.cpu_count() or 1])
    parser.add_argument("--pairs", type=int, default=1, help="warm runs per --workers value, interleaved")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="streamplane-sharded-bench-") as tmp:
        repo, spec_file = make_repo(Path(tmp), args.routes)
        one_route_change(spec_file)
        print(json.dumps({"routes": args.routes, "touched": touched_time(repo)}), flush=True)
        runs = []
        caches = {}
        for workers in args.workers:
            caches[workers] = Path(tmp) / f"cache-{workers}"
            run = timed_plan(repo, caches[workers], Path(tmp) / "cold.md", workers)
            runs.append({"cache": "cold", **run})
            print(json.dumps(runs[-1]), flush=True)
        for _ in range(args.pairs):
            for workers in args.workers:
                runs.append({"cache": "warm", **timed_plan(repo, caches[workers], Path(tmp) / "warm.md", workers)})
                print(json.dumps(runs[-1]), flush=True)
    print(table(runs))


if __name__ == "__main__":
    main()
