"""Business operations: each takes the acting user, checks access, writes rows and events, and
flushes; the request or command that called it commits (casework/unit_of_work.py)."""
