"""Round-trip edits change the one value and keep every other byte."""

from __future__ import annotations

from pathlib import Path

from streamplane.promote.yamledit import YamlFile, format_scalar

TEXT = """\
# header comment
apiVersion: streamplane.io/v1
kind: FlinkJob
metadata: {name: a, owner: t}
spec:
  image: "repo/a:1.0"      # double quoted
  flow: {image: repo/a:1.0, size: 2}
  plain: repo/a:1.0 # plain
  single: 'repo/a:1.0'
---
# second document
kind: Route
metadata:
  name: r
spec:
  args:
    - --x
"""


def _edit(pointer: str, value, kind="FlinkJob", name="a") -> str:
    yf = YamlFile.parse(Path("x.yaml"), TEXT)
    yf.set_value(yf.find(kind, name), pointer, value)
    return yf.render()


def test_scalar_edit_keeps_quotes_and_comments():
    assert _edit("/spec/image", "repo/a:2.0") == TEXT.replace('"repo/a:1.0"      # double', '"repo/a:2.0"      # double')
    assert _edit("/spec/plain", "repo/a:2.0") == TEXT.replace("plain: repo/a:1.0 # plain", "plain: repo/a:2.0 # plain")
    assert _edit("/spec/single", "it's") == TEXT.replace("single: 'repo/a:1.0'", "single: 'it''s'")


def test_scalar_edit_inside_a_flow_mapping():
    assert _edit("/spec/flow/image", "repo/a:2.0") == TEXT.replace("{image: repo/a:1.0,", "{image: repo/a:2.0,")


def test_strings_that_would_read_as_numbers_are_quoted():
    assert format_scalar("1.10") == '"1.10"'
    assert format_scalar("v1_20") == "v1_20"
    assert format_scalar("true") == '"true"'


def test_adding_nested_keys_rewrites_only_that_document():
    out = _edit("/spec/job/jarURI", "local:///a.jar", "Route", "r")
    first, second = out.split("---\n")
    assert first == TEXT.split("---\n")[0]
    assert second == ("# second document\nkind: Route\nmetadata:\n  name: r\nspec:\n  args:\n    - --x\n"
                      "  job:\n    jarURI: local:///a.jar\n")
