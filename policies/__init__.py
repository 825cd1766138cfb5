"""streamplane's CrossGuard policy pack: the rules, their per-environment levels, one definition for two runs.

`pulumi preview --policy-pack policies` runs `__main__.py`, which hands `rules.ALL` to a PolicyPack;
`streamplane plan` / `streamplane policy` run the very same objects on the synth graph
(streamplane/policy_offline.py). Per-environment enforcement levels and rule settings live in
config/<environment>.json, in the format `pulumi preview --policy-pack-config` reads.
"""

from __future__ import annotations

import json
from pathlib import Path

PACK_NAME = "streamplane-guardrails"
PACK_DIR = Path(__file__).resolve().parent
CONFIG_DIR = PACK_DIR / "config"


def config_file(environment: str) -> Path:
    """config/<environment>.json: the file to pass as --policy-pack-config for that environment."""
    return CONFIG_DIR / f"{environment}.json"


def load_config(environment: str) -> dict:
    """The pack config of an environment ({} when it has none): policy name -> level or {enforcementLevel, ...}."""
    path = config_file(environment)
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
