"""The HR import kinds, registered with the core import framework in this order:
units, grades, job roles, posts (reference.py), then people (people.py)."""

from peopleplan.org.imports import people, reference  # noqa: F401
