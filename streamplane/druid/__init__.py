"""Druid: clusters (druid-operator `Druid` CRs) and datasources (Kafka ingestion, compaction, load rules),
declared in domain.py."""
