"""What the complaint services refuse. The message is for the user."""

from __future__ import annotations


class NotAllowed(Exception):
    """The step does not fit the matter's state or the account's role; the message says why."""
