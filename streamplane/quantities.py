"""Kubernetes resource quantities (`500m`, `4Gi`, `2`) as numbers: cores for cpu, bytes for memory."""

from __future__ import annotations

import re

_QUANTITY = re.compile(r"^([0-9]+(?:\.[0-9]+)?)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$")
_FACTORS = {None: 1, "m": 1e-3, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15, "E": 1e18,
            "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}


def parse_quantity(value: str | int | float) -> float:
    """500m -> 0.5, 4Gi -> 4294967296.0, 2 -> 2.0. Raises ValueError for anything else."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    match = _QUANTITY.fullmatch(str(value))
    if not match:
        raise ValueError(f'"{value}" is not a Kubernetes quantity (e.g. 500m, 2, 4Gi)')
    return float(match.group(1)) * _FACTORS[match.group(2)]
