"""Signals that let a lower package announce what happened without importing who listens.

Indico's `indico.core.signals` is the picture: the sender sends, the subscribers registered at
start-up run at once, in the sender's transaction, so an exception in one rolls the action back.
"""

from blinker import Namespace

_signals = Namespace()

# Every signal is sent by the caller's session (`signal.send(session, thing=...)`): receivers write in
# that session, so what they write commits or rolls back with the action (nothing is committed here).

# Accounts and areas; the audit log subscribes (audit/subscriptions.py).
# account=, actor= (None from the CLI): a staff account was created.
account_created = _signals.signal("account-created")
# account=, actor=, active=: an account was deactivated or reactivated.
account_activation_changed = _signals.signal("account-activation-changed")
# account=: the right password for an active, unlocked account.
login_succeeded = _signals.signal("login-succeeded")
# account= (None for an unknown username), reason= (None, "unknown", "locked").
login_failed = _signals.signal("login-failed")
# account=: the account logged out.
logged_out = _signals.signal("logged-out")
# area=, actor= (an Account, or None from the CLI and the demo): an area was added.
area_created = _signals.signal("area-created")

# Publication and public matters; search subscribes to queue its outbox row (search/subscriptions.py).
# Print pre-rendering, feeds and statistics subscribe to the same signals rather than be called.
# disclosure=: a version became public (first publication, an approved correction, an imported history).
disclosure_published = _signals.signal("disclosure-published")
# matter=: a public matter's public content, timeline or status changed.
matter_changed = _signals.signal("matter-changed")

# matter=, first=: any matter (public or private) took a step on its timeline, its dates already set
# (first: the step that registered it, in this transaction, so nothing was stored for it yet); the
# stored deadlines of the dashboards subscribe (obligations/status_subscriptions.py, with the
# signals above, area_created and obligations_changed).
matter_stepped = _signals.signal("matter-stepped")

# actor=: a rule or a village's flag changed what villages must publish and when (every calendar).
# The public page cache subscribes to these, to area_created and to audit_text_redacted
# (portal/revision_subscriptions.py).
obligations_changed = _signals.signal("obligations-changed")

# body=, notice=: an administrator redacted a text the audit log kept (audit/texts.py); a feature
# holding the same text (a correction or return reason) replaces it with the notice.
audit_text_redacted = _signals.signal("audit-text-redacted")

# Counted by the operators' metrics (ops/metrics.py), which import no feature.
# matter=: a villager's matter was filed (online or registered by staff), in the sender's session.
matter_filed = _signals.signal("matter-filed")
# kind= ("disclosure", "receipt", "inspection"), seconds=: a PDF was rendered (sent with sender None:
# nothing is written, so there is no session to share).
pdf_rendered = _signals.signal("pdf-rendered")
