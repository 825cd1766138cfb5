"""Cross-domain hazards: IAM grants (iam.py), loss of data or access (loss.py), schema compatibility
(schema.py), and the protection rule every change is judged by first (protection.py)."""
