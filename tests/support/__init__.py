"""Helpers shared by fwpick's test modules."""
