"""Read-side queries for staff screens; they filter by the caller's scope in SQL."""
