"""The HR import kinds, registered with the core import framework in this order:
units, grades, job roles, posts (reference.py), people (people.py), then sickness absences and
caseloads (capacity.py)."""

from peopleplan.org.imports import capacity, people, reference  # noqa: F401
