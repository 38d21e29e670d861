"""Reusable, I/O-free widgets: they take values and post messages; they never import the API or a screen."""
