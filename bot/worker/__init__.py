"""The worker process: the notice outbox, notice rendering, spool replay and clock jobs."""
