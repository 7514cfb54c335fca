"""Message and event handlers: one module per kind, each `handle(msg, ctx) -> Reply | None`."""
