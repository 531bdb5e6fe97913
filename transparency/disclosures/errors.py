"""What the publish path refuses. Each message is for the user.

NotYourVillage (access.py) and RejectedUpload (attachments.py) are refused the same way.
"""

from __future__ import annotations


class DisclosureError(Exception):
    """A request the workflow refuses; the message is for the user."""


class CannotSubmit(DisclosureError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("；".join(problems))
        self.problems = problems


class WrongState(DisclosureError):
    """The version is not in a state that allows this step (e.g. approving a draft)."""


class SignatureMismatch(DisclosureError):
    """The reviewer's typed signature is not their registered name."""
