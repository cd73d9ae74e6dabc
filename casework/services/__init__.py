"""Business operations: each takes the acting user, checks access, writes rows and events."""
