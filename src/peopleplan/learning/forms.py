"""Forms of the learning pages: the search, the booking journey's questions, cancelling."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.db.models.functions import Upper

from peopleplan.learning.models import LearningItem, Topic
from peopleplan.learning.selectors import IN_PERSON, ONLINE
from peopleplan.org.models import Person

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d %m %Y", "%d %B %Y", "%d %b %Y"]


def date_filter(label: str, *, example: str, which: str) -> forms.DateField:
    """An optional date of a search's filters, typed in the British way."""
    return forms.DateField(
        label=label,
        help_text=f"For example, {example}",
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"invalid": f"Enter the {which} date as a real date, like {example}"},
    )


class FindLearningForm(forms.Form):
    q = forms.CharField(
        label="Search",
        help_text="Words in the title or description",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    kind = forms.ChoiceField(label="Type of learning", required=False)
    topic = forms.TypedChoiceField(label="Topic", required=False, coerce=int, empty_value=None)
    mode = forms.ChoiceField(
        label="Online or in person",
        required=False,
        choices=[("", "Either"), (ONLINE, "Online"), (IN_PERSON, "In person")],
    )
    date_from = date_filter("Sessions from", example="27/03/2027", which="first")
    date_to = date_filter("Sessions to", example="30/06/2027", which="last")
    upcoming = forms.BooleanField(label="Only learning with sessions coming up", required=False)
    mandatory = forms.BooleanField(label="Only learning that is mandatory for me", required=False)

    def __init__(self, *args, topics: list[Topic], **kwargs):
        super().__init__(*args, **kwargs)
        self.topics = {t.pk: t for t in topics}
        self.fields["kind"].choices = [("", "Any type"), *LearningItem.Kind.choices]
        self.fields["kind"].error_messages["invalid_choice"] = "Choose a type from the list"
        self.fields["topic"].choices = [("", "Any topic"), *[(t.pk, t.name) for t in topics]]
        self.fields["topic"].error_messages["invalid_choice"] = "Choose a topic from the list"
        self.fields["mode"].error_messages["invalid_choice"] = "Choose online or in person"

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The last date must be the same as or after the first date")
        return data

    def value(self, name: str):
        return self.cleaned_data.get(name) if self.is_valid() else None

    @property
    def selected_topic(self) -> Topic | None:
        return self.topics.get(self.value("topic"))


def start_of(day: dt.date | None, tz) -> dt.datetime | None:
    if day is None:
        return None
    return dt.datetime.combine(day, dt.time.min, tzinfo=tz)


class WhoForm(forms.Form):
    """Step 1 of the booking journey, for users who may book for others."""

    person = forms.ChoiceField(
        label="Who is this booking for?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select who this booking is for",
            "invalid_choice": "Select who this booking is for",
        },
    )
    employee_number = forms.CharField(
        label="Employee number of someone else",
        help_text="If you chose someone else",
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )

    OTHER = "other"

    def __init__(self, *args, choices: list[tuple[str, str]], anyone, **kwargs):
        super().__init__(*args, **kwargs)
        self.anyone = anyone  # people found by employee number, or None
        if anyone is not None:
            choices = [*choices, (self.OTHER, "Someone else")]
        self.fields["person"].choices = choices
        self.person_id: int | None = None

    def clean(self):
        data = super().clean()
        choice = data.get("person")
        if not choice:
            return data
        if choice == self.OTHER:
            number = (data.get("employee_number") or "").strip()
            if not number:
                self.add_error("employee_number", "Enter the employee number of the person")
                return data
            found = self.anyone.filter(employee_number__iexact=number).first()
            if found is None:
                self.add_error(
                    "employee_number", "No one you can book for has that employee number"
                )
                return data
            self.person_id = found.pk
        else:
            self.person_id = int(choice)
        return data


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Why are you cancelling? (optional)",
        help_text="This helps the learning and development team plan sessions",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "The reason must be 500 characters or fewer"},
    )


MANY_LIMIT = 200


class ManyForm(forms.Form):
    """Booking several people at once: members of the team ticked, and employee numbers
    typed or pasted from a list (one per line, or separated by commas or spaces)."""

    people = forms.MultipleChoiceField(
        label="People in your team", required=False, widget=forms.CheckboxSelectMultiple
    )
    employee_numbers = forms.CharField(
        label="Employee numbers",
        help_text="One per line, or separated by commas or spaces, for example from a "
        "spreadsheet column",
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false", "autocomplete": "off"}),
    )

    def __init__(self, *args, team: list[Person], anyone, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].choices = [(str(p.pk), p.full_name) for p in team]
        self.team = {p.pk: p for p in team}
        self.anyone = anyone  # whom the numbers may name
        self.chosen: list[Person] = []

    def clean(self):
        data = super().clean()
        chosen: dict[int, Person] = {int(pk): self.team[int(pk)] for pk in data.get("people") or []}
        numbers = [n for n in re.split(r"[\s,;]+", data.get("employee_numbers") or "") if n]
        if numbers:
            found = {
                p.number_upper: p
                for p in self.anyone.annotate(number_upper=Upper("employee_number")).filter(
                    number_upper__in={n.upper() for n in numbers}
                )
            }
            missing = [n for n in numbers if n.upper() not in found]
            if missing:
                shown = ", ".join(missing[:10]) + (" and others" if len(missing) > 10 else "")
                self.add_error(
                    "employee_numbers", f"No one you can book for has the employee number {shown}"
                )
            for n in numbers:
                if (person := found.get(n.upper())) is not None:
                    chosen.setdefault(person.pk, person)
        if not chosen and not self.errors:
            self.add_error(
                "people" if self.team else "employee_numbers",
                "Select the people to book, or enter their employee numbers",
            )
        if len(chosen) > MANY_LIMIT:
            self.add_error("employee_numbers", f"Book at most {MANY_LIMIT} people at a time")
        self.chosen = sorted(chosen.values(), key=lambda p: (p.last_name, p.first_name, p.pk))
        return data
