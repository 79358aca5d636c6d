"""Reactions to signals from lower apps (events tells us an event changed; we tell registrants)."""
