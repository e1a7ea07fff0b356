"""The gender pay gap's six measures on hand-made data, each answer worked out here, and the
rules' properties (hypothesis): the quartiles hold everyone once, in bands as equal as they
can be, and swapping men and women turns each gap round."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from peopleplan.workforce.paygap import (
    FEMALE,
    MALE,
    Employee,
    band_of,
    gap,
    pay_gap,
    percent,
    quartiles,
)

D = Decimal


def man(hourly, bonus="0", full_pay=True):
    return Employee(MALE, D(hourly), D(bonus), full_pay)


def woman(hourly, bonus="0", full_pay=True):
    return Employee(FEMALE, D(hourly), D(bonus), full_pay)


# Full pay, ranked: 9 (W), 10 (M), 11 (W), 12 (M), 13 (W), 14 (M), 20 (M). Not on full pay: a man
# on 5 and a woman on 30 (left out of the hourly measures and the quartiles, not the bonus
# ones). Two people whose sex is not recorded as male or female are left out of everything.
WORKED = [
    man("10.00", bonus="100"),
    man("12.00"),
    man("14.00", bonus="300"),
    man("20.00"),
    man("5.00", bonus="200", full_pay=False),
    woman("9.00", bonus="100"),
    woman("11.00"),
    woman("13.00"),
    woman("30.00", bonus="50", full_pay=False),
    Employee("prefer_not_to_say", D("50.00"), D("1000")),
    Employee("", D("8.00")),
]


def test_the_six_measures_worked_by_hand():
    result = pay_gap(WORKED)
    assert (result.men, result.women, result.left_out) == (5, 4, 2)
    assert (result.full_pay_men, result.full_pay_women) == (4, 3)
    # (a) men's mean (10 + 12 + 14 + 20) / 4 = 14, women's (9 + 11 + 13) / 3 = 11:
    # (14 - 11) / 14 x 100 = 21.43 → 21.4.
    assert result.mean_hourly.men == D("14.00") and result.mean_hourly.women == D("11.00")
    assert result.mean_hourly.gap == D("21.4")
    # (b) men's median (12 + 14) / 2 = 13, women's 11: (13 - 11) / 13 x 100 = 15.38 → 15.4.
    assert (result.median_hourly.men, result.median_hourly.women) == (D("13.00"), D("11.00"))
    assert result.median_hourly.gap == D("15.4")
    # (c) the men who received a bonus had 100, 300 and 200 (the man not on full pay counts):
    # mean 200; the women 100 and 50: mean 75. (200 - 75) / 200 x 100 = 62.5.
    assert (result.mean_bonus.men, result.mean_bonus.women) == (D("200.00"), D("75.00"))
    assert result.mean_bonus.gap == D("62.5")
    # (d) medians 200 and 75: 62.5 again.
    assert result.median_bonus.gap == D("62.5")
    # (e) 3 of the 5 men, 2 of the 4 women.
    assert (result.bonus_men, result.bonus_women) == (3, 2)
    assert (result.bonus_men_percent, result.bonus_women_percent) == (D("60.0"), D("50.0"))
    # (f) 7 on full pay make bands of 2, 2, 2 and 1: (9 W, 10 M), (11 W, 12 M), (13 W, 14 M),
    # (20 M).
    assert [(b.name, b.men, b.women) for b in result.quartiles] == [
        ("Lower", 1, 1),
        ("Lower middle", 1, 1),
        ("Upper middle", 1, 1),
        ("Upper", 1, 0),
    ]
    assert [(b.men_percent, b.women_percent) for b in result.quartiles] == [
        (D("50.0"), D("50.0")),
        (D("50.0"), D("50.0")),
        (D("50.0"), D("50.0")),
        (D("100.0"), D("0.0")),
    ]


def test_people_on_the_same_rate_across_a_boundary_are_spread_evenly():
    """12 on full pay make bands of 3. Six people on £10.00 (3 men, 3 women) hold places 3 to
    8 (counting from 1): one place in the lower band, three in the lower middle and two in the
    upper middle. The men's shares are 1 x 3/6 = 0.5, 3 x 3/6 = 1.5 and 2 x 3/6 = 1: whole
    parts 0, 1 and 1, and the one man left goes to the largest fraction, 0.5, of which there
    are two: the lower band's comes first. So the run gives (1 man, 0 women) to the lower
    band, (1, 2) to the lower middle and (1, 1) to the upper middle."""
    people = [
        woman("8.00"),
        woman("9.00"),
        *(man("10.00") for _ in range(3)),
        *(woman("10.00") for _ in range(3)),
        woman("11.00"),
        man("12.00"),
        man("13.00"),
        woman("14.00"),
    ]
    bands = pay_gap(people).quartiles
    assert [(b.men, b.women) for b in bands] == [(1, 2), (1, 2), (1, 2), (2, 1)]
    assert [(b.men_percent, b.women_percent) for b in bands] == [
        (D("33.3"), D("66.7")),
        (D("33.3"), D("66.7")),
        (D("33.3"), D("66.7")),
        (D("66.7"), D("33.3")),
    ]
    # Listed the other way round, the answer is the same: the rule does not depend on order.
    assert pay_gap(reversed(people)).quartiles == bands


def test_a_run_across_three_boundaries_keeps_each_bands_share():
    """Eight people all on one rate (2 men, 6 women): bands of 2, and each band's share of men
    is 2 x 2/8 = 0.5; the two men go to the two lowest bands (equal fractions: lower first)."""
    people = [man("10.00"), man("10.00"), *(woman("10.00") for _ in range(6))]
    assert quartiles([(e.hourly_pay, e.sex == MALE) for e in people]) == [
        (1, 1),
        (1, 1),
        (0, 2),
        (0, 2),
    ]
    # Everyone on one rate: the hourly gaps are nil.
    assert pay_gap(people).mean_hourly.gap == D("0.0")


def test_with_no_bonuses_the_bonus_gaps_are_not_applicable_and_the_proportions_nil():
    result = pay_gap([man("12.00"), woman("11.00")])
    assert result.mean_bonus.gap is None and result.median_bonus.gap is None
    assert result.mean_bonus.men is None and result.mean_bonus.women is None
    assert (result.bonus_men_percent, result.bonus_women_percent) == (D("0.0"), D("0.0"))


def test_with_only_women_there_is_no_gap_and_every_band_is_all_women():
    result = pay_gap([woman("9.00", bonus="10"), woman("11.00"), woman("12.00"), woman("15.00")])
    assert result.mean_hourly.gap is None and result.median_hourly.gap is None
    assert result.mean_hourly.women == D("11.75") and result.mean_hourly.men is None
    assert result.mean_bonus.gap is None
    assert result.bonus_men_percent is None and result.bonus_women_percent == D("25.0")
    assert [(b.men_percent, b.women_percent) for b in result.quartiles] == [
        (D("0.0"), D("100.0"))
    ] * 4


def test_people_not_on_full_pay_count_only_in_the_bonus_measures():
    on_leave = [man("40.00", bonus="500", full_pay=False), woman("5.00", full_pay=False)]
    result = pay_gap([man("10.00"), woman("10.00"), *on_leave])
    assert result.mean_hourly.gap == D("0.0")  # 10 and 10: the two on leave are not counted
    assert sum(b.people for b in result.quartiles) == 2
    assert (result.men, result.women) == (2, 2)
    assert (result.bonus_men_percent, result.bonus_women_percent) == (D("50.0"), D("0.0"))


def test_women_paid_more_is_a_negative_gap():
    # (10 - 12) / 10 x 100 = -20.
    assert pay_gap([man("10.00"), woman("12.00")]).mean_hourly.gap == D("-20.0")


def test_few_people_leave_bands_empty():
    result = pay_gap([man("10.00"), woman("12.00")])
    assert [b.people for b in result.quartiles] == [1, 0, 1, 0]  # places 0 and 1 of 2
    assert result.quartiles[1].men_percent is None
    assert [b.people for b in pay_gap([]).quartiles] == [0, 0, 0, 0]


def test_a_half_goes_to_the_even_digit():
    # (4.00 - 3.51) / 4.00 x 100 = 12.25 exactly → 12.2; (4.00 - 3.506) / 4.00 = 12.35 → 12.4.
    assert pay_gap([man("4.00"), woman("3.51")]).mean_hourly.gap == D("12.2")
    assert pay_gap([man("4.00"), woman("3.506")]).mean_hourly.gap == D("12.4")
    # 1 man and 79 women: 1.25 → 1.2 and 98.75 → 98.8, which add up to 100.0.
    assert (percent(1, 80), percent(79, 80)) == (D("1.2"), D("98.8"))


def test_bands_are_as_equal_as_they_can_be():
    def sizes(n):
        return [sum(1 for p in range(n) if band_of(p, n) == b) for b in range(4)]

    assert sizes(4) == [1, 1, 1, 1]
    assert sizes(5) == [2, 1, 1, 1]
    assert sizes(6) == [2, 1, 2, 1]
    assert sizes(7) == [2, 2, 2, 1]
    assert sizes(10) == [3, 2, 3, 2]


# --- properties --------------------------------------------------------------------------------

rates = st.integers(min_value=0, max_value=40).map(lambda n: D(n) / 2 + 8)  # many ties
employees = st.lists(
    st.builds(
        Employee,
        st.sampled_from([MALE, FEMALE, "prefer_not_to_say", ""]),
        rates,
        st.sampled_from([D("0"), D("0"), D("100"), D("250.50")]),
        st.booleans(),
    ),
    max_size=60,
)


@given(employees)
def test_the_quartiles_hold_every_full_pay_employee_once_in_bands_as_equal_as_can_be(people):
    result = pay_gap(people)
    bands = result.quartiles
    assert sum(b.men for b in bands) == result.full_pay_men
    assert sum(b.women for b in bands) == result.full_pay_women
    counted = result.full_pay_men + result.full_pay_women
    assert [b.people for b in bands] == [
        sum(1 for p in range(counted) if band_of(p, counted) == n) for n in range(4)
    ]
    if counted >= 4:
        assert max(b.people for b in bands) - min(b.people for b in bands) <= 1
    for band in bands:
        if band.people:
            assert band.men_percent + band.women_percent == 100


@given(employees)
def test_each_band_gets_its_share_of_a_run_rounded_down_or_up(people):
    """With everyone on one rate the whole list is one run: each band's men are its places
    times the share of men, rounded down or up."""
    full = [e for e in people if e.full_pay and e.sex in (MALE, FEMALE)]
    pairs = [(D("10"), e.sex == MALE) for e in full]
    men = sum(m for _, m in pairs)
    for held, (m, w) in zip(
        [sum(1 for p in range(len(pairs)) if band_of(p, len(pairs)) == b) for b in range(4)],
        quartiles(pairs),
        strict=True,
    ):
        share = Fraction(held * men, len(pairs)) if pairs else 0
        assert m + w == held
        assert int(share) <= m <= int(share) + (share != int(share))


def _swapped(people):
    other = {MALE: FEMALE, FEMALE: MALE}
    return [
        Employee(other.get(e.sex, e.sex), e.hourly_pay, e.bonus_pay, e.full_pay) for e in people
    ]


@given(employees)
def test_swapping_men_and_women_turns_each_gap_round(people):
    """Swapped, a gap g becomes g' = -g / (1 - g/100): never the same sign, and exactly
    (100 - g)(100 - g') = 100² before rounding, since each is the other's pay over theirs."""
    result, swapped = pay_gap(people), pay_gap(_swapped(people))
    for name in ("mean_hourly", "median_hourly", "mean_bonus", "median_bonus"):
        before, after = getattr(result, name), getattr(swapped, name)
        assert (before.men, before.women) == (after.women, after.men)
        if before.gap is not None and after.gap is not None:
            assert before.gap * after.gap <= 0
            exact, exact_after = (
                gap(Fraction(before.men), Fraction(before.women)),
                gap(Fraction(after.men), Fraction(after.women)),
            )
            assert (100 - exact) * (100 - exact_after) == 10_000
    assert (result.bonus_men_percent, result.bonus_women_percent) == (
        swapped.bonus_women_percent,
        swapped.bonus_men_percent,
    )
    # Each band keeps its size; its men and women change places, give or take one person for
    # each run of equal rates across one of its edges (a share rounded down one way round may
    # be rounded up the other).
    for band, other in zip(result.quartiles, swapped.quartiles, strict=True):
        assert band.people == other.people
        assert abs(band.men - other.women) <= 2


@given(st.lists(st.tuples(st.integers(0, 10_000), st.booleans()), unique_by=lambda e: e[0]))
def test_without_ties_the_bands_are_cut_from_the_ranking(people):
    pairs = [(D(rate) / 100, is_man) for rate, is_man in people]
    ranked = sorted(pairs)
    expected = [[0, 0] for _ in range(4)]
    for place, (_, is_man) in enumerate(ranked):
        expected[band_of(place, len(ranked))][0 if is_man else 1] += 1
    assert quartiles(pairs) == [tuple(b) for b in expected]
