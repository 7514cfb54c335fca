"""Segment statements: a rule compiled to SQL, and the audience statements built on it."""
