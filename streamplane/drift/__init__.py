"""Drift detection: a read-only refresh-preview through the Automation API, translated into a plan."""

from .check import MODES, DriftUnavailable, detect, event_to_dict, require_pulumi_cli
from .events import changes_from_events, read_event_log

__all__ = ["MODES", "DriftUnavailable", "changes_from_events", "detect", "event_to_dict", "read_event_log",
           "require_pulumi_cli"]
