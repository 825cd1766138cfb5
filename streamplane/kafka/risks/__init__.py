"""Kafka hazards: topics, ACLs and providers (topics.py), MSK clusters (msk.py)."""
