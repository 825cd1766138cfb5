"""Spec phase: YAML with line numbers -> overlay merge -> schema + reference checks -> typed objects
(loader.py: read_layers, stack_layers; model.py: PlatformSpec, Declared, KindDef, ...).

Import-light on purpose: the domains' spec kinds (streamplane/<domain>/kinds*) import spec.model, and
the kinds registry (kinds.py, which loader.py reads) imports them, so this package imports nothing.
The objects' cross-object checks run in the check layer: streamplane.checks.load_layers / load_stack."""
