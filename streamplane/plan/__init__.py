"""Plans: the difference between a baseline and the head goal state, with its risks."""

from .context import PlanContext
from .diff import changed_paths, diff_graphs
from .model import ACTIONS, Change, Plan, PolicyViolation, Risk, Subject
from .replace import REPLACE_RULES, ReplaceRule, classify
from .unknowns import KNOWN_AFTER_APPLY, computed_marker, is_unknown

__all__ = [
           "ACTIONS",
           "KNOWN_AFTER_APPLY",
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
           "computed_marker",
           "diff_graphs",
           "is_unknown",
]
