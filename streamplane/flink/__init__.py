"""Flink rules and facts as pure functions of the spec (no component, no Pulumi resource): the
flinkConfiguration a job gets, its footprint against its owner's quota, the domain's stack settings."""
