"""Broker capacity: partition replicas per broker against Amazon MSK's guidance per instance type."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

GUIDANCE_FILE = Path(__file__).resolve().parent / "data" / "msk-partitions-per-broker.json"


@dataclass(frozen=True)
class PartitionLimits:
    recommended: int
    """Best-practice ceiling of partition replicas per broker (leaders and followers)."""
    max_for_update_operations: int
    """Above this, MSK does not support update operations (version upgrades, broker type changes)."""


@cache
def msk_limits() -> dict[str, PartitionLimits]:
    brokers = json.loads(GUIDANCE_FILE.read_text(encoding="utf-8"))["brokers"]
    return {kind: PartitionLimits(v["recommended"], v["max_for_update_operations"]) for kind, v in brokers.items()}


def replicas_per_broker(streams: list[tuple[int, int]], brokers: int) -> int:
    """Partition replicas per broker, rounded up, for (partitions, replicationFactor) of every topic.

    Kafka spreads replicas evenly across brokers, so the busiest broker holds at least the ceiling.
    """
    total = sum(partitions * rf for partitions, rf in streams)
    return math.ceil(total / brokers) if brokers else total


def capacity_problem(instance_type: str, per_broker: int, total: int,
                     brokers: int) -> tuple[Literal["error", "warning"], str] | None:
    """("warning"|"error", message) when `per_broker` reaches MSK's guidance for `instance_type`, else None."""
    limits = msk_limits().get(instance_type)
    if limits is None:
        return None
    if per_broker > limits.max_for_update_operations:
        return "error", (f"{per_broker} partition replicas per broker ({total} over {brokers} brokers) exceed the "
                         f"{limits.max_for_update_operations} MSK supports update operations with on {instance_type}. "
                         "Add brokers, use a larger instance type, or lower partitions/replicationFactor.")
    if per_broker >= limits.recommended:
        return "warning", (f"{per_broker} partition replicas per broker ({total} over {brokers} brokers) reach MSK's "
                           f"recommended {limits.recommended} for {instance_type}. Plan more brokers or a larger instance type.")
    return None
