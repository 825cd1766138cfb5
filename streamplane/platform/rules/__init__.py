"""The stdlib rules every domain shares with the CrossGuard policy pack (the pack imports them under
`pulumi preview --policy-pack policies`, where only pulumi-policy is guaranteed):

- periods.py: ISO-8601 periods with Druid's (Joda) semantics, Druid granularities.
- durations.py: the spec's short durations (`3d`, `90s`).
- types.py: Pulumi type tokens of the resources the rules look at.

Each domain's own stdlib rules sit in its package's rules* module (kafka/rules/, druid/rules.py,
flink/rules.py); tests/platform/test_one_home.py holds them all to the standard library."""
