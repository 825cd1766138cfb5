"""A whole N-route one-stack `streamplane plan --base-ref HEAD`, as a reviewer runs it, cold cache.

Builds a throwaway git repository of this project's tracked files plus N generated routes in the
`loadtest` environment switched to the one-stack layout (bench/sharded.py's platform), commits it,
changes one stream's partitions, and runs `plan --stack loadtest --base-ref HEAD --format markdown`
per `--workers` value, in the order given (repeat one to pair): first with an empty cache (cold: the
head synthesized here, by partition in worker processes above streamplane/partition.py's threshold,
the base by the commit's own code in a subprocess beside it), then again with that cache (warm: a
pull request's re-plan, the base read from the cache, the head synthesized alone on every worker).
Prints one markdown table row per run: wall s, CPU s of the plan and every child
(`getrusage(RUSAGE_CHILDREN)`), the largest process's peak RSS and the peak of the whole process
tree's summed RSS (bench/proctree.py).

    python bench/whole_plan.py --routes 2000 --workers 2
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.sharded import ENV, git, make_repo, one_route_change, timed_plan  # noqa: E402

HEADER = ("| routes | cache | workers | wall s | CPU s (plan + children) | peak RSS, largest process MB | "
          "peak RSS, sum of the process tree MB | create/update/replace/delete/unchanged/block/danger/warn |\n"
          "|---:|---|---:|---:|---:|---:|---:|---|")


def one_stack(repo: Path) -> None:
    config = repo / "stacks" / f"Pulumi.{ENV}.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("streamplane:layout: sharded",
                                                                 "streamplane:layout: single"), encoding="utf-8")
    git(repo, "commit", "-qam", "one stack")


def row(repo: Path, routes: int, workers: int, cache: Path, label: str) -> str:
    out = cache.parent / f"plan-{workers}-{label}.md"
    result = timed_plan(repo, cache, out, workers)
    lines = out.read_text(encoding="utf-8").splitlines()
    at = next((i for i, line in enumerate(lines) if line.startswith("| create")), None)
    summary = lines[at + 2].strip("| ").replace(" | ", "/") if at is not None and at + 2 < len(lines) else ""
    return (f"| {routes} | {label} | {workers} | {result['wall_s']:.1f} | {result['cpu_s']:.1f} | {result['largest_rss_mb']:,.0f} | "
            f"{result['tree_rss_mb']:,.0f} | {summary} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--routes", type=int, default=2000)
    parser.add_argument("--workers", type=int, nargs="+", default=[os.cpu_count() or 1])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="streamplane-whole-plan-bench-") as tmp:
        repo, spec_file = make_repo(Path(tmp), args.routes)
        one_stack(repo)
        one_route_change(spec_file)
        print(HEADER, flush=True)
        for i, workers in enumerate(args.workers):
            cache = Path(tmp) / f"cache-{i}"  # empty: the first run synthesizes the base, the second reads it
            cache.mkdir()
            print(row(repo, args.routes, workers, cache, "cold"), flush=True)
            print(row(repo, args.routes, workers, cache, "warm"), flush=True)


if __name__ == "__main__":
    main()
