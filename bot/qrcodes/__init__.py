"""Onboarding QR codes: issuing them through the registry, posters and poster batches."""
