"""Helpers that need Django (or Ninja) but belong to no domain: the faces' shared pieces."""
