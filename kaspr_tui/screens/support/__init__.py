"""Support: the page mounts one panel by role: customers' requests, or (a support key) the console
with its transfer dialog."""
