"""The worker side: which processes are alive, the task queue, and the heartbeat of worker processes."""
