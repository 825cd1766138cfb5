"""Run a command and measure it with its whole process tree: wall seconds, CPU seconds of it and every
descendant it waited for (`getrusage(RUSAGE_CHILDREN)`), the peak RSS of its largest process, and the
peak of the summed RSS of every process of the tree (sampled from /proc every SAMPLE_S; Linux only)."""

from __future__ import annotations

import os
import resource
import subprocess
import threading
import time
from pathlib import Path

SAMPLE_S = 0.25
PAGE = os.sysconf("SC_PAGE_SIZE")


def _tree_rss(root: int) -> int:
    """Bytes resident in `root` and its descendants now."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            statm = (entry / "statm").read_text().split()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        pid = int(entry.name)
        parents[pid] = int(fields[1])
        rss[pid] = int(statm[1]) * PAGE
    total = 0
    for pid in rss:
        walk = pid
        while walk not in (root, 0, 1) and walk in parents:
            walk = parents[walk]
        if walk == root:
            total += rss[pid]
    return total


def measure(args: list[str], **popen) -> dict:
    """Run `args`; its wall s, CPU s (it and its children), largest process's and whole tree's peak RSS (MB)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **popen)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(SAMPLE_S):
            peak[0] = max(peak[0], _tree_rss(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    done.set()
    sampler.join()
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"returncode": process.returncode, "stdout": out, "stderr": err, "wall_s": wall,
            "cpu_s": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
            "largest_rss_mb": after.ru_maxrss / 1024, "tree_rss_mb": peak[0] / 2**20}


__all__ = ["measure"]
