"""The streamplane Pulumi program: the stack's spec (stacks/base + stacks/<stack>) as resources."""

from pathlib import Path

from streamplane.program import main

main(Path(__file__).resolve().parent)
