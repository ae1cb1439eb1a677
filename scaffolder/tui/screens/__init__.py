"""The wizard's screens, one module per job."""
