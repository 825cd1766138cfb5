"""What no single domain owns (declared in domain.py): the shared stdlib rules (periods, durations, type
tokens), IAM, KMS, cross-domain loss and schema hazards, the protection rule, and where a stack-config
key is written."""
