"""Kafka's own rules, checked at plan time: topic names, topic configs, replication and broker capacity.

Pure functions over plain values (no Pulumi): the spec checks and the components both use them.
"""
