"""The MSK cluster type the MSK rules share."""

MSK_CLUSTER = "aws:msk/cluster:Cluster"
