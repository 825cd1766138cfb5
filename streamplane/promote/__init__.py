"""Environment promotion: carry the promotable values (images, versions) of one environment's spec
to the next as reviewable edits of its YAML, comments and formatting kept, all files or none."""

from .engine import FieldEdit, NewObject, Promotion, compute, environments
from .fields import PROMOTABLE, promotable
from .table import render_diff, render_table
from .write import PromotionError, dirty_files, write_all

__all__ = ["PROMOTABLE", "FieldEdit", "NewObject", "Promotion", "PromotionError", "compute", "dirty_files",
           "environments", "promotable", "render_diff", "render_table", "write_all"]
