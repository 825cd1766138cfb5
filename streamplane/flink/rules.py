"""Flink facts the plan, the risk rules and the policy pack share (stdlib only: the pack imports it)."""

from __future__ import annotations

STATEFUL_UPGRADE_MODES = ("savepoint", "last-state")
"""The FlinkDeployment upgradeModes that carry state across an upgrade (the operator's default, stateless, does not)."""
# Flink 1.20 renamed state.checkpoints.dir to execution.checkpointing.dir (the old key stays a
# deprecated fallback; apache/flink CheckpointingOptions.CHECKPOINTS_DIRECTORY). The new key wins.
CHECKPOINT_DIR_KEYS = ("execution.checkpointing.dir", "state.checkpoints.dir")
