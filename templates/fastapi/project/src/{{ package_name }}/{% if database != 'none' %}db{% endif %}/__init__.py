"""Database engine and sessions."""
