"""Everything that changes a matter. Each change appends one timeline event and one audit entry
in the caller's transaction; services flush and never commit.

One module per who acts: filing (登记 and lookup), handling (the handler's steps), villager (the
complainant's steps), escalation (overdue), reissue (a lost code), timeline (the record every step leaves). Callers use
them through this package: `services.accept(session, matter=..., actor=...)`.
"""

from transparency.complaints.errors import NotAllowed
from transparency.complaints.services.escalation import escalate, escalate_one, escalate_overdue, open_matter_ids
from transparency.complaints.services.filing import (
    REPLAY_WINDOW,
    NewMatter,
    Registration,
    Replay,
    find,
    find_by_tracking,
    lock,
    register,
    replayed,
    token_digest,
)
from transparency.complaints.services.handling import (
    accept,
    answer_review,
    close,
    decide_extension,
    decline,
    pending_extension,
    reply,
    request_extension,
    reveal_contact,
)
from transparency.complaints.services.reissue import IDENTITY_CHECKS, reissue_code
from transparency.complaints.services.timeline import MAX_PHOTOS, OPEN_STATUSES
from transparency.complaints.services.villager import (
    add_information,
    may_rate,
    may_request_review,
    rate,
    request_review,
    review_window,
)

__all__ = [
    "IDENTITY_CHECKS",
    "MAX_PHOTOS",
    "OPEN_STATUSES",
    "REPLAY_WINDOW",
    "NewMatter",
    "NotAllowed",
    "Registration",
    "Replay",
    "accept",
    "add_information",
    "answer_review",
    "close",
    "decide_extension",
    "decline",
    "escalate",
    "escalate_one",
    "escalate_overdue",
    "find",
    "find_by_tracking",
    "lock",
    "may_rate",
    "may_request_review",
    "open_matter_ids",
    "pending_extension",
    "rate",
    "register",
    "reissue_code",
    "replayed",
    "reply",
    "request_extension",
    "request_review",
    "review_window",
    "reveal_contact",
    "token_digest",
]
