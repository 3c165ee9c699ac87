"""``policykg parse``: filled in by the loaders."""
