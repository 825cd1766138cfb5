"""The CrossGuard entry point: assembles the PolicyPack from policies.rules (no rule logic here)."""

import sys
from pathlib import Path

# The engine runs this folder as a script, which puts policies/ itself on sys.path; the rules import
# each other as the `policies` package (as the offline runner does), so its parent must be there too.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pulumi_policy import EnforcementLevel, PolicyPack

from policies import PACK_NAME
from policies.rules import ALL

PolicyPack(name=PACK_NAME, policies=ALL, enforcement_level=EnforcementLevel.ADVISORY)
