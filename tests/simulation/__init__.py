"""The deterministic simulation of issue 11: many actors and a moving clock against the real server."""
