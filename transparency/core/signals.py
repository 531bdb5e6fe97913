"""Signals that let a lower package announce what happened without importing who listens.

Indico's `indico.core.signals` is the picture: the sender sends, the subscribers registered at
start-up run at once, in the sender's transaction, so an exception in one rolls the action back.
"""

from blinker import Namespace

_signals = Namespace()

# Sender: the session. account=, actor= (None from the CLI): a staff account was created.
account_created = _signals.signal("account-created")
# Sender: the session. account=, actor=, active=: an account was deactivated or reactivated.
account_activation_changed = _signals.signal("account-activation-changed")
# Sender: the session. account=: the right password for an active, unlocked account.
login_succeeded = _signals.signal("login-succeeded")
# Sender: the session. account= (None for an unknown username), reason= (None, "unknown", "locked").
login_failed = _signals.signal("login-failed")
# Sender: the session. account=: the account logged out.
logged_out = _signals.signal("logged-out")
# Sender: the session. area=, actor= (an Account, or None from the CLI and the demo): an area was added.
area_created = _signals.signal("area-created")

# Publication and public matters. The sender is the object; `session` is the caller's session, in
# whose transaction every subscriber writes (nothing is committed here). `search` subscribes to
# write its outbox row (`search/subscriptions.py`); print pre-rendering, feeds and statistics are
# meant to subscribe to the same signals rather than be called by the features.

# disclosures.services: a notice's version became public (first publication, each approved
# correction, an imported history); sender=Disclosure, session=Session.
disclosure_published = _signals.signal("disclosure-published")
# complaints.services: a public matter's public content, timeline or status changed;
# sender=Matter, session=Session.
matter_changed = _signals.signal("matter-changed")
