"""The gender pay gap's six measures, worked out as Schedule 1 to the Equality Act 2010
(Specific Duties and Public Authorities) Regulations 2017 (paragraphs 8 to 13) and the
government's guidance ("Gender pay gap reporting: make your calculations") say, for a public
authority's 31 March snapshot date.

Pure: `pay_gap` takes the relevant employees (employed on the snapshot date: the caller reads
them, `selectors.pay_gap`) with the pay payroll worked out for them, and returns every figure.
Arithmetic is exact (fractions) until the end, so nothing drifts in rounding.

The words:
- *relevant employees*: everyone employed on the snapshot date with their pay for it; here a
  man or a woman (`EqualityRecord.sex`). Others, and those whose sex is not recorded, are left
  out of every measure and counted (`left_out`), as the guidance allows.
- *full-pay relevant employees*: those not paid less than usual in the pay period because of
  leave (`full_pay`); the hourly pay measures and the quartiles count only them.
- *received a bonus*: bonus pay in the 12 months to the snapshot date of more than £0.

The six:
(a) and (b) the mean and median hourly pay gap: (men's - women's) / men's x 100, of the
    full-pay relevant employees' hourly rates of pay;
(c) and (d) the mean and median bonus gap, the same of the bonus pay of the relevant employees
    who received a bonus;
(e) the proportions of the relevant men and of the relevant women who received a bonus;
(f) the proportions of men and of women in each quartile pay band (`quartiles`).
A gap is None when there is no one to compare (no men, or no women, among those it counts) or
when the men's figure is £0; a proportion is None when no one is counted. A negative gap means
women's pay is higher.

Rounding: every percentage is given to one decimal place, as the guidance asks, from the exact
value; a value exactly half way goes to the even digit (12.25 → 12.2, 12.35 → 12.4), so that
the men's and women's shares of a band always add up to exactly 100.0 (rounding halves up would
give 1.3 and 98.8 for 1 man and 79 women, 100.1 in all). Amounts (means and medians) are given
in pounds to the penny, the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from itertools import groupby

MALE = "male"
FEMALE = "female"
BANDS = ("Lower", "Lower middle", "Upper middle", "Upper")


@dataclass(frozen=True)
class Employee:
    """A relevant employee at the snapshot: their sex as recorded (anything but male or female
    leaves them out), hourly rate of ordinary pay, bonus pay in the 12 months to the snapshot,
    and whether they were on full pay."""

    sex: str
    hourly_pay: Decimal
    bonus_pay: Decimal = Decimal("0")
    full_pay: bool = True


@dataclass(frozen=True)
class Comparison:
    """Men's and women's figure (mean or median) and the gap between them."""

    men: Decimal | None
    women: Decimal | None
    gap: Decimal | None


@dataclass(frozen=True)
class Band:
    """One quartile pay band: how many men and women are in it, and their shares."""

    name: str
    men: int
    women: int

    @property
    def people(self) -> int:
        return self.men + self.women

    @property
    def men_percent(self) -> Decimal | None:
        return percent(self.men, self.people)

    @property
    def women_percent(self) -> Decimal | None:
        return percent(self.women, self.people)


@dataclass(frozen=True)
class PayGap:
    men: int  # relevant employees
    women: int
    left_out: int  # sex not recorded as male or female
    full_pay_men: int
    full_pay_women: int
    mean_hourly: Comparison  # (a)
    median_hourly: Comparison  # (b)
    mean_bonus: Comparison  # (c)
    median_bonus: Comparison  # (d)
    bonus_men: int  # (e): how many received a bonus
    bonus_women: int
    quartiles: list[Band] = field(default_factory=list)  # (f), lowest paid first

    @property
    def bonus_men_percent(self) -> Decimal | None:
        return percent(self.bonus_men, self.men)

    @property
    def bonus_women_percent(self) -> Decimal | None:
        return percent(self.bonus_women, self.women)

    @property
    def relevant(self) -> int:
        return self.men + self.women


def pay_gap(employees: Iterable[Employee]) -> PayGap:
    """The six measures for the relevant employees given."""
    people = list(employees)
    men = [e for e in people if e.sex == MALE]
    women = [e for e in people if e.sex == FEMALE]
    full_men = [Fraction(e.hourly_pay) for e in men if e.full_pay]
    full_women = [Fraction(e.hourly_pay) for e in women if e.full_pay]
    bonus_men = [Fraction(e.bonus_pay) for e in men if e.bonus_pay > 0]
    bonus_women = [Fraction(e.bonus_pay) for e in women if e.bonus_pay > 0]
    full_pay = [(e.hourly_pay, e.sex == MALE) for e in (*men, *women) if e.full_pay]
    return PayGap(
        men=len(men),
        women=len(women),
        left_out=len(people) - len(men) - len(women),
        full_pay_men=len(full_men),
        full_pay_women=len(full_women),
        mean_hourly=_compare(_mean(full_men), _mean(full_women)),
        median_hourly=_compare(_median(full_men), _median(full_women)),
        mean_bonus=_compare(_mean(bonus_men), _mean(bonus_women)),
        median_bonus=_compare(_median(bonus_men), _median(bonus_women)),
        bonus_men=len(bonus_men),
        bonus_women=len(bonus_women),
        quartiles=[
            Band(name, m, w) for name, (m, w) in zip(BANDS, quartiles(full_pay), strict=True)
        ],
    )


def gap(men: Fraction | None, women: Fraction | None) -> Fraction | None:
    """(men's - women's) / men's x 100, exact; None when either is missing or men's is 0."""
    if men is None or women is None or men == 0:
        return None
    return (men - women) / men * 100


def band_of(place: int, people: int) -> int:
    """The band (0 lowest to 3 highest) of the employee at `place` (0 = lowest paid) of
    `people`: four bands as equal as they can be, the spare places going to the lower band,
    then the upper middle, then the lower middle (5 people make bands of 2, 1, 1, 1; 6 make
    2, 1, 2, 1; 7 make 2, 2, 2, 1)."""
    return 4 * place // people


def quartiles(full_pay: Sequence[tuple[Decimal, bool]]) -> list[tuple[int, int]]:
    """The men and women in each quartile pay band, lowest first, from the full-pay relevant
    employees as (hourly rate of pay, is a man).

    The rule (paragraph 13 of Schedule 1):
    1. Rank everyone by hourly rate from the lowest. The employee at place p (0 for the
       lowest) of n is in band ⌊4p/n⌋ (`band_of`): four bands as equal in size as possible,
       sizes differing by at most one (the spare places of n = 4q + r go to the lower band,
       then the upper middle, then the lower middle).
    2. Employees on the same hourly rate hold a run of places, and so a known number of places
       in each band the run crosses. Within a run that crosses a band boundary, the men and
       women are spread so that their proportions are, as far as whole people allow, the same
       in each band it crosses (paragraph 13(2)): a band holding c of the run's g places gets
       the whole part of c x m / g men (m: the men in the run); the men left over go one
       each to the bands with the largest fractional parts (the lower band first when they
       are equal), and women take the run's other places in each band. So each band gets its
       exact share of the run's men rounded down or up, and the men and women of the run add
       up in each band to the places it holds there.
    """
    people = len(full_pay)
    counts = [[0, 0] for _ in BANDS]
    if people == 0:
        return [(0, 0) for _ in BANDS]
    ranked = sorted(full_pay, key=lambda e: e[0])
    place = 0
    for _, run in groupby(ranked, key=lambda e: e[0]):
        men_flags = [is_man for _, is_man in run]
        size = len(men_flags)
        men = sum(men_flags)
        places: dict[int, int] = {}
        for p in range(place, place + size):
            band = band_of(p, people)
            places[band] = places.get(band, 0) + 1
        for band, (m, w) in _spread(men, places).items():
            counts[band][0] += m
            counts[band][1] += w
        place += size
    return [(m, w) for m, w in counts]


def _spread(men: int, places: dict[int, int]) -> dict[int, tuple[int, int]]:
    """A run's men and women in the bands it crosses (`places`: band → places it holds there),
    each band's men its share rounded by largest remainder (`quartiles` says how)."""
    size = sum(places.values())
    if len(places) == 1:
        ((band, _),) = places.items()
        return {band: (men, size - men)}
    shares = {band: Fraction(men * held, size) for band, held in places.items()}
    given = {band: int(share) for band, share in shares.items()}  # whole parts (shares ≥ 0)
    left = men - sum(given.values())
    for band in sorted(shares, key=lambda b: (-(shares[b] - given[b]), b))[:left]:
        given[band] += 1
    return {band: (given[band], held - given[band]) for band, held in places.items()}


def percent(part: int, whole: int) -> Decimal | None:
    """part of whole as a percentage to one decimal place; None when whole is 0."""
    if not whole:
        return None
    return to_places(Fraction(part * 100, whole), 1)


def to_places(value: Fraction, places: int) -> Decimal:
    """The exact value rounded to `places` decimal places, a half to the even digit."""
    scaled = round(value * 10**places)  # round() of a Fraction is exact, half to even
    return Decimal(scaled).scaleb(-places) if places else Decimal(scaled)


def _mean(values: list[Fraction]) -> Fraction | None:
    return sum(values, Fraction(0)) / len(values) if values else None


def _median(values: list[Fraction]) -> Fraction | None:
    """The middle value, or the mean of the two middle values of an even number."""
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def _compare(men: Fraction | None, women: Fraction | None) -> Comparison:
    difference = gap(men, women)
    return Comparison(
        men=None if men is None else to_places(men, 2),
        women=None if women is None else to_places(women, 2),
        gap=None if difference is None else to_places(difference, 1),
    )
