"""Billing (admins): the page with its Upgrade and Plan & Billing panes, the live quote, and the
dialogs they open: purchase add-ons and licenses."""
