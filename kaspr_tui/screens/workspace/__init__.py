"""Workspace: members and invitations, and the Add a member dialog."""
