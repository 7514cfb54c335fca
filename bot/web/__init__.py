"""The web edge: the staff console, the staff JSON API and the customer-facing pages."""
