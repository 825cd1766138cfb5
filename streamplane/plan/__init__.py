"""Plans: the difference between a baseline and the head goal state, with its risks."""

from .context import PlanContext
from .diff import changed_paths, diff_graphs
from .model import ACTIONS, Change, Plan, PolicyViolation, Risk, Subject
from .pipeline import make_plan
from .replace import REPLACE_RULES, ReplaceRule, classify

__all__ = [
           "ACTIONS",
           "REPLACE_RULES",
           "Change",
           "Plan",
           "PlanContext",
           "PolicyViolation",
           "ReplaceRule",
           "Risk",
           "Subject",
           "changed_paths",
           "classify",
           "diff_graphs",
           "make_plan",
]
