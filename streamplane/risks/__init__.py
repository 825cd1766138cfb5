"""Domain hazards of planned changes: assess.py judges a plan (levels, acknowledgements), catalogue.py
holds the codes and levels, rules.py collects every domain's rules (streamplane/<domain>/risks*),
common.py and holdings.py are what the rules share.

Import-light on purpose: the domains' rules import catalogue and common, and rules.py imports them,
so this package imports nothing."""
