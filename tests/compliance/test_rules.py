"""The date rules (compliance/rules.py): worked examples, then properties over random
histories (hypothesis)."""

import datetime as dt

from hypothesis import assume, given
from hypothesis import strategies as st

from peopleplan.compliance.rules import (
    SEVERITY,
    Exemption,
    Period,
    Rule,
    StatusCode,
    credential_until,
    periods,
    status,
)
from peopleplan.core.dates import add_months

D = dt.date
THREE_YEARS = Rule(validity_months=36, window_days=90, grace_days=90)
LONG_AGO = D(2020, 1, 6)


def status_of(as_of, rule=THREE_YEARS, completions=(), joined_on=LONG_AGO, **kw):
    held = kw.pop("held", None) or periods(completions, rule)
    return status(
        as_of=as_of, rule=rule, member=kw.pop("member", True), joined_on=joined_on, held=held, **kw
    )


def test_the_issue_example_reads_as_written():
    done = [(D(2023, 5, 12), "Safeguarding level 2")]
    s = status_of(D(2026, 3, 1), completions=done)
    assert s.code == StatusCode.DUE_SOON
    assert s.reason == (
        "Due by 12 May 2026: you completed Safeguarding level 2 on 12 May 2023 and it lasts "
        "three years."
    )
    assert s.due_on == D(2026, 5, 12)


def test_compliant_until_the_window_opens_then_due_soon_then_expired():
    done = [(D(2023, 5, 12), "Information governance")]
    assert status_of(D(2026, 2, 10), completions=done).code == StatusCode.COMPLIANT
    # 90 days before 12 May 2026 is 11 February 2026: the window opens that day.
    assert status_of(D(2026, 2, 11), completions=done).code == StatusCode.DUE_SOON
    assert status_of(D(2026, 5, 12), completions=done).code == StatusCode.DUE_SOON
    expired = status_of(D(2026, 5, 13), completions=done)
    assert expired.code == StatusCode.EXPIRED
    assert expired.reason.startswith("Expired on 12 May 2026: you completed Information")
    assert "it lasted three years" in expired.reason


def test_renewing_inside_the_window_runs_on_from_the_old_expiry():
    got = periods([(D(2020, 6, 1), "IG"), (D(2023, 4, 1), "IG")], THREE_YEARS)
    assert got[1].until == D(2026, 6, 1)
    assert got[1].renewed_from == D(2023, 6, 1)
    s = status_of(D(2024, 1, 1), held=got)
    assert s.code == StatusCode.COMPLIANT
    assert "inside the renewal window" in s.reason


def test_renewing_from_the_completion_date_when_the_requirement_says_so():
    rule = Rule(validity_months=36, window_days=90, renew_from_expiry=False)
    got = periods([(D(2020, 6, 1), "IG"), (D(2023, 4, 1), "IG")], rule)
    assert got[1].until == D(2026, 4, 1)


def test_completing_before_the_window_runs_from_the_completion_date():
    got = periods([(D(2020, 6, 1), "IG"), (D(2022, 6, 1), "IG")], THREE_YEARS)
    assert got[1].until == D(2025, 6, 1)
    assert got[1].renewed_from is None


def test_a_repeat_soon_after_never_shortens_what_is_held():
    got = periods(
        [(D(2020, 6, 1), "IG"), (D(2023, 4, 1), "IG"), (D(2023, 4, 20), "IG")], THREE_YEARS
    )
    assert [p.until for p in got] == [D(2023, 6, 1), D(2026, 6, 1), D(2026, 6, 1)]


def test_completing_after_it_lapsed_starts_afresh():
    got = periods([(D(2020, 6, 1), "IG"), (D(2024, 1, 1), "IG")], THREE_YEARS)
    assert got[1].until == D(2027, 1, 1)


def test_once_only_lasts_for_ever():
    rule = Rule(validity_months=None)
    s = status_of(D(2040, 1, 1), rule=rule, completions=[(D(2020, 1, 10), "E-induction")])
    assert s.code == StatusCode.COMPLIANT
    assert s.reason == (
        "Done: you completed E-induction on 10 January 2020, and it does not need renewing."
    )


def test_a_new_starter_has_the_grace_period_then_is_overdue():
    rule = Rule(validity_months=None, grace_days=14)
    s = status_of(D(2026, 9, 10), rule=rule, joined_on=D(2026, 9, 1))
    assert s.code == StatusCode.DUE_SOON
    assert s.due_on == D(2026, 9, 15)
    assert "you joined on 1 September 2026" in s.reason and "14 days" in s.reason
    late = status_of(D(2026, 9, 16), rule=rule, joined_on=D(2026, 9, 1))
    assert late.code == StatusCode.OVERDUE
    assert late.reason.startswith("Overdue since 15 September 2026")


def test_a_mover_whose_old_completion_has_lapsed_gets_the_grace_period():
    done = [(D(2019, 1, 1), "Safeguarding level 2")]
    s = status_of(D(2026, 10, 1), completions=done, joined_on=D(2026, 9, 1))
    assert s.code == StatusCode.DUE_SOON
    assert s.due_on == D(2026, 11, 30)
    assert status_of(D(2026, 12, 1), completions=done, joined_on=D(2026, 9, 1)).code == (
        StatusCode.EXPIRED
    )


def test_a_requirement_introduced_later_gives_everyone_its_grace_period():
    rule = Rule(validity_months=12, grace_days=60, applies_from=D(2026, 10, 1))
    s = status_of(D(2026, 11, 1), rule=rule, joined_on=D(2015, 1, 1))
    assert s.code == StatusCode.DUE_SOON
    assert s.due_on == D(2026, 11, 30)
    assert "has applied since 1 October 2026" in s.reason


def test_exempt_and_not_required():
    s = status_of(D(2026, 1, 1), exemption=Exemption("On long-term leave", D(2026, 3, 31)))
    assert (s.code, s.reason) == (
        StatusCode.EXEMPT,
        "Exempt until 31 March 2026: On long-term leave",
    )
    assert status_of(D(2026, 1, 1), member=False).code == StatusCode.NOT_REQUIRED


def test_completions_after_the_date_do_not_count_yet():
    done = [(D(2026, 5, 1), "IG")]
    assert status_of(D(2026, 4, 1), completions=done, joined_on=D(2020, 1, 1)).code == (
        StatusCode.OVERDUE
    )


def test_a_credential_reads_as_a_credential():
    dbs = Period(D(2023, 3, 1), D(2026, 3, 1), "Enhanced DBS check", credential=True)
    s = status_of(D(2026, 1, 1), held=[dbs])
    assert s.code == StatusCode.DUE_SOON
    assert s.reason == (
        "Due by 1 March 2026: your Enhanced DBS check of 1 March 2023 is valid until 1 March 2026."
    )


def test_credential_until():
    issued = D(2023, 3, 1)
    assert credential_until(issued_on=issued, expires_on=D(2024, 11, 30), recheck_months=36) == D(
        2024, 11, 30
    )
    assert credential_until(issued_on=issued, expires_on=None, recheck_months=36) == D(2026, 3, 1)
    assert credential_until(issued_on=issued, expires_on=None, recheck_months=None) is None
    # A clear status check on the Update Service restarts the re-check period ...
    assert credential_until(
        issued_on=issued,
        expires_on=None,
        recheck_months=36,
        clear_checks=[D(2024, 6, 1), D(2022, 1, 1)],
    ) == D(2027, 6, 1)
    # ... and one that found new information ends the credential that day.
    assert credential_until(
        issued_on=issued,
        expires_on=None,
        recheck_months=36,
        clear_checks=[D(2024, 6, 1)],
        changed_on=D(2025, 2, 1),
    ) == (D(2025, 2, 1))


# Properties -------------------------------------------------------------------------------

dates = st.dates(min_value=D(2010, 1, 1), max_value=D(2035, 12, 31))
rules = st.builds(
    Rule,
    validity_months=st.one_of(st.none(), st.integers(1, 60)),
    window_days=st.integers(0, 180),
    renew_from_expiry=st.booleans(),
    grace_days=st.integers(0, 365),
    applies_from=st.one_of(st.none(), dates),
)
histories = st.lists(dates, max_size=8)


@given(rules, histories)
def test_what_is_held_never_shrinks_and_never_falls_short_of_the_latest_completion(rule, done):
    got = periods([(d, "x") for d in done], rule)
    assert [p.on for p in got] == sorted(done)
    if rule.validity_months is None:
        assert all(p.until is None for p in got)
        return
    untils = [p.until for p in got]
    assert untils == sorted(untils)
    for p in got:
        assert p.until >= add_months(p.on, rule.validity_months)


@given(st.integers(1, 60), st.integers(0, 180), dates, st.lists(st.integers(0, 180), max_size=6))
def test_renewing_each_time_inside_the_window_loses_nothing(months, window, first, early):
    """Renewed every time inside the window, from the old expiry: the expiry is the first
    completion plus one period per completion, however early in the window each came."""
    rule = Rule(validity_months=months, window_days=window)
    done, held = [first], add_months(first, months)
    for days in early:
        on = held - dt.timedelta(days=min(days, window))
        assume(on > done[-1])  # a window longer than the period reaches back past the last
        done.append(on)
        held = add_months(held, months)
    assert periods([(d, "x") for d in done], rule)[-1].until == held


@given(rules, histories, dates, st.one_of(st.none(), dates), st.booleans())
def test_every_status_is_consistent_with_its_dates(rule, done, as_of, joined, member):
    s = status(
        as_of=as_of,
        rule=rule,
        member=member,
        joined_on=joined,
        held=periods([(d, "x") for d in done], rule),
    )
    assert s.code in SEVERITY
    assert s.reason
    if not member:
        assert s.code == StatusCode.NOT_REQUIRED
        return
    assert s.code != StatusCode.NOT_REQUIRED
    if s.code == StatusCode.COMPLIANT and s.expires_on is not None:
        assert as_of < s.expires_on - dt.timedelta(days=rule.window_days)
    if s.code == StatusCode.DUE_SOON:
        assert s.due_on is not None and s.due_on >= as_of
    if s.code in (StatusCode.OVERDUE, StatusCode.EXPIRED) and s.due_on is not None:
        assert s.due_on < as_of
    if s.code == StatusCode.EXPIRED:
        assert any(d <= as_of for d in done)
    if s.code == StatusCode.OVERDUE:
        assert not any(d <= as_of for d in done)


@given(rules, histories, dates, dates)
def test_a_completion_today_makes_anyone_required_compliant_or_due(rule, done, as_of, joined):
    """Whatever came before, completing it on the day leaves nobody overdue or expired."""
    s = status(
        as_of=as_of,
        rule=rule,
        member=True,
        joined_on=joined,
        held=periods([(d, "x") for d in [*done, as_of]], rule),
    )
    assert s.code in (StatusCode.COMPLIANT, StatusCode.DUE_SOON)
