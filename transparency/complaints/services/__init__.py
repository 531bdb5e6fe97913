"""Everything that changes a matter. Each change appends one timeline event and one audit entry
in the caller's transaction; services flush and never commit.

One module per who acts: filing (登记 and lookup), handling (the handler's steps), villager (the
complainant's steps), escalation (overdue), reissue (a lost code), stepping_aside (回避), timeline
(the record every step leaves). Callers use
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
    NOTICE_EVENTS,
    accept,
    answer_re_review,
    answer_review,
    close,
    decide_extension,
    decline,
    decline_as_final,
    notify_filer,
    pending_extension,
    reply,
    request_extension,
    reveal_contact,
)
from transparency.complaints.services.reissue import IDENTITY_CHECKS, reissue_code
from transparency.complaints.services.stepping_aside import declare_conflict, settle_level
from transparency.complaints.services.timeline import MAX_PHOTOS, OPEN_STATUSES
from transparency.complaints.services.villager import (
    add_information,
    may_rate,
    may_request_re_review,
    may_request_review,
    rate,
    request_re_review,
    request_review,
    review_level,
    review_window,
)

__all__ = [
    "IDENTITY_CHECKS",
    "NOTICE_EVENTS",
    "MAX_PHOTOS",
    "OPEN_STATUSES",
    "REPLAY_WINDOW",
    "NewMatter",
    "NotAllowed",
    "Registration",
    "Replay",
    "accept",
    "add_information",
    "answer_re_review",
    "answer_review",
    "close",
    "decide_extension",
    "decline",
    "decline_as_final",
    "declare_conflict",
    "escalate",
    "escalate_one",
    "escalate_overdue",
    "find",
    "find_by_tracking",
    "lock",
    "may_rate",
    "may_request_re_review",
    "may_request_review",
    "notify_filer",
    "open_matter_ids",
    "pending_extension",
    "rate",
    "register",
    "reissue_code",
    "replayed",
    "reply",
    "request_extension",
    "request_re_review",
    "request_review",
    "review_level",
    "review_window",
    "reveal_contact",
    "settle_level",
    "token_digest",
]
