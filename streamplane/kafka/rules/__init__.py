"""Kafka's stdlib rules and reference data, shared by the spec checks, the risk rules and the policy
pack: replication defaults, the min.insync.replicas rule and Kafka's topic-config table (topics.py,
data/), MSK broker placement and name limits (msk.py)."""
