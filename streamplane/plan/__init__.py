"""Plans: the difference between a baseline and the head goal state, with its risks (model.py: Plan,
Change; diff.py; replace.py: REPLACE_RULES, classify; context.py: PlanContext; facts.py: FACTS).

Import-light on purpose: the domains' replace rules and facts (streamplane/<domain>/replace.py,
facts.py) import plan modules, and plan/replace.py and plan/facts.py import them, so this package
imports nothing."""
