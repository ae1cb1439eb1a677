"""Business logic that does not depend on HTTP."""
