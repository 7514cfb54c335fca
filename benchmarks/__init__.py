"""Benchmarks: each prints its figures side by side with a floor measured in the same run."""
