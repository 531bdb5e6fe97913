"""The publish path: draft → submit → review (approve and publish, or return) → correct.

Every function flushes and appends its audit entry; none commits.
Raises: NotYourVillage, CannotSubmit, WrongState, SignatureMismatch, RejectedUpload,
PublishedIsPermanent (from the flush guard, should a caller try to rewrite history).

One module per stage: drafts, review, corrections, publication (what publication commits to,
and the import of history). Callers use them through this package: `services.approve(...)`.
"""

from transparency.disclosures.errors import CannotSubmit, DisclosureError, SignatureMismatch, WrongState
from transparency.disclosures.services.corrections import start_correction
from transparency.disclosures.services.drafts import EDITABLE, discard_draft, save_draft, start_disclosure
from transparency.disclosures.services.publication import content_fingerprint, publish_historical
from transparency.disclosures.services.review import approve, return_for_revision, submit

__all__ = [
    "EDITABLE",
    "CannotSubmit",
    "DisclosureError",
    "SignatureMismatch",
    "WrongState",
    "approve",
    "content_fingerprint",
    "discard_draft",
    "publish_historical",
    "return_for_revision",
    "save_draft",
    "start_correction",
    "start_disclosure",
    "submit",
]
