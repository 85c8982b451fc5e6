"""patrol."""
