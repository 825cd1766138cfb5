"""One home per rule and per fact: the predicates and reference data that spec checks, risk rules,
components and the CrossGuard policy pack share.

Dependency-free on purpose: stdlib only, and nothing from the rest of streamplane (tests/test_imports.py
holds it to that). The policy pack imports it under `pulumi preview --policy-pack policies`, where only
pulumi-policy is guaranteed, so a rule here can be judged the same way on a spec, a synth graph and a
real preview.

- periods.py: ISO-8601 periods with Druid's (Joda) semantics, Druid granularities.
- druid.py: Druid supervisor and compaction defaults, the compaction delay rule.
- kafka.py: replication defaults, the min.insync.replicas rule, Kafka's topic-config table.
- msk.py: MSK broker placement (brokers vs Availability Zones), name limits.
- types.py: Pulumi type tokens of the resources the rules look at.
"""
