"""What a Flink job holds while it runs, and the quota checks on it: pure, so the checks can total an
owner's jobs before any component exists."""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..quantities import parse_quantity

_FLINK_MEMORY = {"k": 2**10, "m": 2**20, "g": 2**30, "t": 2**40}


@dataclass(frozen=True)
class Footprint:
    """What one Flink cluster holds while it runs: its job manager and ceil(parallelism / slots) task managers."""

    cpu: float
    memory: float
    pods: int

    @classmethod
    def of(cls, spec) -> Footprint:
        task_managers = math.ceil(max(spec.parallelism, 1) / spec.task_manager.slots)
        jm, tm = spec.job_manager, spec.task_manager
        memory = lambda size: int(size[:-1]) * _FLINK_MEMORY[size[-1]]  # noqa: E731
        return cls(cpu=jm.cpu + task_managers * tm.cpu, memory=memory(jm.memory) + task_managers * memory(tm.memory),
                   pods=1 + task_managers)

    def __add__(self, other: Footprint) -> Footprint:
        return Footprint(self.cpu + other.cpu, self.memory + other.memory, self.pods + other.pods)


def quota_shortfalls(total: Footprint, quota: dict) -> list[str]:
    """Each quota the owner's jobs together exceed, in the quota's own terms."""
    needs = {"requests.cpu": total.cpu, "limits.cpu": total.cpu, "requests.memory": total.memory,
             "limits.memory": total.memory, "pods": total.pods}
    out = []
    for key, need in needs.items():
        if key in quota and need > parse_quantity(quota[key]) + 1e-9:
            shown = f"{need:g} cpu" if "cpu" in key else (f"{need / 2**30:g}Gi" if "memory" in key else f"{need:g} pods")
            out.append(f"{key} is {quota[key]}, the jobs need {shown}")
    return out
