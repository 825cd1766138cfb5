"""The MSK cluster type the MSK rules share."""

from streamplane.platform.rules import types

MSK_CLUSTER = types.MSK_CLUSTER
