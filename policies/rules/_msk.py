"""The MSK cluster type the MSK rules share."""

from streamplane.rules import types

MSK_CLUSTER = types.MSK_CLUSTER
