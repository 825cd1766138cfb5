"""Checkpoint stores: the S3 buckets Flink jobs keep checkpoints and savepoints in (declared in domain.py)."""
