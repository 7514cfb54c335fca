"""The `branchlink` command: one module per command group, serving and demo data."""
