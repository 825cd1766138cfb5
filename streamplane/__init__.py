"""streamplane: a declarative control plane, as code, for a Keystone-style streaming data platform."""

API_VERSION = "streamplane.io/v1"
PROJECT = "streamplane"
