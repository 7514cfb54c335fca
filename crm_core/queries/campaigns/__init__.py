"""Campaign queries: the audience planned with the contact policy, progress and reports."""
