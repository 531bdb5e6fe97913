"""Obligation rules: periods, cut-off days, flags, and the deployer's changes."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from transparency.audit.models import AuditEntry
from transparency.core.db import db
from transparency.disclosures.models import Category
from transparency.obligations.models import Cadence, VillageFlag
from transparency.obligations.rules import DEFAULT_RULES, Rule, rules_for_village, rules_in_force


def test_quarters_and_their_cut_off_days():
    rule = Rule(Category.FINANCE, "", Cadence.QUARTERLY, cutoff_day=15)
    periods = list(rule.periods(dt.date(2025, 2, 1), dt.date(2025, 10, 1)))
    assert periods == [
        (dt.date(2025, 4, 1), dt.date(2025, 6, 30)),
        (dt.date(2025, 7, 1), dt.date(2025, 9, 30)),
        (dt.date(2025, 10, 1), dt.date(2025, 12, 31)),
    ]
    assert rule.due_date(dt.date(2025, 12, 31)) == dt.date(2026, 1, 15)


def test_a_cut_off_day_past_the_month_end_is_capped():
    rule = Rule(Category.FINANCE, "", Cadence.MONTHLY, cutoff_day=31)
    assert rule.due_date(dt.date(2025, 1, 31)) == dt.date(2025, 2, 28)
    assert [p[0].month for p in rule.periods(dt.date(2025, 11, 1), dt.date(2026, 1, 5))] == [11, 12, 1]


def test_events_are_due_within_their_days():
    assert Rule(Category.DECISIONS, "", Cadence.AFTER_EVENT, within_days=5).due_date(dt.date(2025, 4, 8)) == dt.date(
        2025, 4, 13
    )


def test_defaults_follow_the_law():
    rules = {(r.category, r.village_flag): r for r in DEFAULT_RULES}
    assert rules[(Category.FINANCE, "")].cadence is Cadence.QUARTERLY  # at least every quarter
    assert rules[(Category.FINANCE, "many_transactions")].cadence is Cadence.MONTHLY
    assert rules[(Category.DECISIONS, "")].cadence is Cadence.AFTER_EVENT  # major matters at once
    assert rules[(Category.LAND_COMPENSATION, "")].cadence is Cadence.AFTER_EVENT
    many = rules_for_village(rules, {VillageFlag.MANY_TRANSACTIONS.value})
    assert many[Category.FINANCE].cadence is Cadence.MONTHLY
    assert rules_for_village(rules, set())[Category.FINANCE].cadence is Cadence.QUARTERLY


def test_deployers_change_rules_and_flags_from_the_command_line(app, world, runner):
    result = runner.invoke(args=["obligations", "set", "assets", "--cadence", "half_yearly", "--cutoff-day", "20"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["obligations", "set", "decisions", "--cadence", "none"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["obligations", "flag", world.village_a.code, "many_transactions"])
    assert result.exit_code == 0, result.output
    shown = runner.invoke(args=["obligations", "show"]).output
    assert "assets" in shown and "half_yearly" in shown and "次月 20 日前" in shown
    with app.app_context():
        rules = rules_in_force(db.session)
        assert rules[(Category.ASSETS, "")].cutoff_day == 20
        village_rules = rules_for_village(rules, {"many_transactions"})
        assert Category.DECISIONS not in village_rules  # switched off
        actions = db.session.scalars(
            select(AuditEntry.action).where(AuditEntry.action.like("obligation.%")).order_by(AuditEntry.seq)
        ).all()
        assert actions == ["obligation.set", "obligation.set", "obligation.flag"]


def test_bad_rules_are_refused_with_a_message(runner, world):
    cases = [
        (["obligations", "set", "finance", "--cadence", "monthly"], "截止日"),
        (["obligations", "set", "finance", "--cadence", "monthly", "--cutoff-day", "40"], "截止日"),
        (["obligations", "set", "decisions", "--cadence", "after_event", "--within-days", "-1"], "0 到 366"),
        (["obligations", "set", "nonsense", "--cadence", "monthly", "--cutoff-day", "5"], "没有这个类别"),
        (["obligations", "set", "finance", "--cadence", "monthly", "--cutoff-day", "5", "--flag", "rich"], "标记"),
        (["obligations", "flag", "999999999999", "many_transactions"], "没有代码"),
    ]
    for args, message in cases:
        result = runner.invoke(args=args)
        assert result.exit_code != 0 and message in result.output, (args, result.output)
