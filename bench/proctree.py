"""Run a command and measure it with its whole process tree: wall seconds, CPU seconds of it and every
descendant it waited for (`getrusage(RUSAGE_CHILDREN)`), the peak RSS of its largest process, and the
peak of the summed RSS of every process of the tree (sampled from /proc every SAMPLE_S; Linux only).

The largest process's peak is the highest `VmHWM` (a process's own peak RSS, kept by the kernel until
it exits) seen in the tree: unlike the children's `ru_maxrss`, which is the maximum over every child
this process ever waited for, it belongs to this one command, so several runs in one bench each get
their own. A process that peaks and exits between two samples is missed by both tree figures."""

from __future__ import annotations

import os
import resource
import subprocess
import threading
import time
from pathlib import Path

SAMPLE_S = 0.25
PAGE = os.sysconf("SC_PAGE_SIZE")


def _high_water(status: str) -> int:
    """VmHWM of a /proc/<pid>/status text, in bytes (0 for a kernel thread or a zombie)."""
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


def _tree_rss(root: int) -> tuple[int, int]:
    """Bytes resident in `root` and its descendants now, and the largest peak RSS among them so far."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    peaks: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            statm = (entry / "statm").read_text().split()
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        pid = int(entry.name)
        parents[pid] = int(fields[1])
        rss[pid] = int(statm[1]) * PAGE
        peaks[pid] = _high_water(status)
    total = largest = 0
    for pid in rss:
        walk = pid
        while walk not in (root, 0, 1) and walk in parents:
            walk = parents[walk]
        if walk == root:
            total += rss[pid]
            largest = max(largest, peaks[pid])
    return total, largest


def measure(args: list[str], **popen) -> dict:
    """Run `args`; its wall s, CPU s (it and its children), largest process's and whole tree's peak RSS (MB)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **popen)
    peak = [0, 0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(SAMPLE_S):
            total, largest = _tree_rss(process.pid)
            peak[0], peak[1] = max(peak[0], total), max(peak[1], largest)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    done.set()
    sampler.join()
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"returncode": process.returncode, "stdout": out, "stderr": err, "wall_s": wall,
            "cpu_s": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
            "largest_rss_mb": peak[1] / 2**20, "tree_rss_mb": peak[0] / 2**20}


__all__ = ["measure"]
