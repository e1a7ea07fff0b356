"""Drawing believable people: names, emails, ages and equality monitoring data.

Everything takes the generator's own `random.Random`, never the global one, so that one seed
always gives the same people.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass

from peopleplan.demo.catalogue import (
    ETHNICITIES,
    MIXED,
    NAMES,
    PREFER_NOT,
    RELIGIONS,
    SEXUAL_ORIENTATIONS,
)


def _cumulative(weights):
    return list(itertools.accumulate(weights))


_ETHNIC_CUM = _cumulative(w for _, w, _ in ETHNICITIES)
_RELIGION = {
    group: ([name for name, _ in options], _cumulative(w for _, w in options))
    for group, options in RELIGIONS.items()
}
_ORIENTATIONS = [name for name, _ in SEXUAL_ORIENTATIONS]
_ORIENTATION_CUM = _cumulative(w for _, w in SEXUAL_ORIENTATIONS)


@dataclass(slots=True)
class Identity:
    first_name: str
    last_name: str
    sex: str  # as recorded: female, male, prefer_not_to_say or ""
    ethnicity: str
    disability: str
    religion: str
    sexual_orientation: str


def draw_identity(rng: random.Random, *, female_share: float, age: int) -> Identity:
    """A person's name and equality monitoring data; some answers are left blank or
    'Prefer not to say', as on any real HR system."""
    female = rng.random() < female_share
    ethnicity, _, group = rng.choices(ETHNICITIES, cum_weights=_ETHNIC_CUM)[0]
    first_group, surname_group = MIXED.get(group, (group, group))
    names = NAMES[first_group]
    first_name = rng.choice(names.female if female else names.male)
    if surname_group != first_group and rng.random() < 0.5:
        names = NAMES[surname_group]
    last_name = rng.choice(names.surnames)

    roll = rng.random()
    if roll < 0.01:
        sex = "prefer_not_to_say"
    elif roll < 0.025:
        sex = ""
    else:
        sex = "female" if female else "male"

    roll = rng.random()
    if roll < 0.025:
        ethnicity = PREFER_NOT
    elif roll < 0.065:
        ethnicity = ""

    options, cum = _RELIGION[group]
    religion = rng.choices(options, cum_weights=cum)[0]
    roll = rng.random()
    if roll < 0.06:
        religion = PREFER_NOT
    elif roll < 0.11:
        religion = ""

    disabled = rng.random() < 0.04 + 0.0025 * max(0, age - 20)
    roll = rng.random()
    if roll < 0.03:
        disability = PREFER_NOT
    elif roll < 0.09:
        disability = ""
    else:
        disability = "Yes" if disabled else "No"

    orientation = rng.choices(_ORIENTATIONS, cum_weights=_ORIENTATION_CUM)[0]
    return Identity(first_name, last_name, sex, ethnicity, disability, religion, orientation)


class EmailBook:
    """Work email addresses, first.last@domain, with a number when the name is taken."""

    def __init__(self) -> None:
        self.taken: dict[str, int] = {}

    def address(self, first_name: str, last_name: str, domain: str) -> str:
        local = f"{first_name}.{last_name}".lower().replace("'", "").replace(" ", "")
        key = f"{local}@{domain}"
        count = self.taken.get(key, 0) + 1
        self.taken[key] = count
        return key if count == 1 else f"{local}{count}@{domain}"


def draw_age(rng: random.Random, mean: float, spread: float, low: int, high: int) -> int:
    return int(min(high, max(low, rng.gauss(mean, spread))))
