"""Plans: the difference between a baseline and the head goal state, with its risks."""

from .diff import changed_paths, diff_graphs
from .model import ACTIONS, Change, Plan, PolicyViolation, Risk

__all__ = ["ACTIONS", "Change", "Plan", "PolicyViolation", "Risk", "changed_paths", "diff_graphs"]
