"""Forms of the organisation's pages."""

from django import forms

from peopleplan.org.models import Audience, AudienceRule, Unit


class PeopleFilterForm(forms.Form):
    """Search and filter the people list. The units offered are the ones the user may see."""

    q = forms.CharField(
        label="Name or employee number",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "spellcheck": "false"}),
    )
    unit = forms.TypedChoiceField(
        label="Unit",
        help_text="People in the unit or any unit under it",
        required=False,
        coerce=int,
        empty_value=None,
    )
    leavers = forms.BooleanField(label="Include people who have left", required=False)

    def __init__(self, *args, units: list[Unit], **kwargs):
        super().__init__(*args, **kwargs)
        self.units = {u.pk: u for u in units}
        top = min((u.depth for u in units), default=0)
        self.fields["unit"].choices = [("", "All units")] + [
            (u.pk, "\u2003" * (u.depth - top) + u.name) for u in units
        ]
        self.fields["unit"].error_messages["invalid_choice"] = "Choose a unit from the list"

    @property
    def selected_unit(self) -> Unit | None:
        if not self.is_valid():
            return None
        return self.units.get(self.cleaned_data["unit"])


# --- audiences -------------------------------------------------------------------------------


class AudienceForm(forms.Form):
    """An audience's name, code, description and how its rules combine. The rules are rows of
    `RuleForm` beside it (`RuleRows`)."""

    name = forms.CharField(
        label="Name",
        max_length=200,
        error_messages={
            "required": "Enter a name for the audience",
            "max_length": "The name must be 200 characters or fewer",
        },
    )
    code = forms.CharField(
        label="Code",
        help_text="Lower-case letters and numbers, with hyphens between words, like "
        "social-workers. Imports and the API name the audience by its code.",
        max_length=60,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
        error_messages={
            "required": "Enter a code for the audience",
            "max_length": "The code must be 60 characters or fewer",
        },
    )
    description = forms.CharField(
        label="Description (optional)",
        help_text="What the audience is for, in a sentence",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    match = forms.ChoiceField(
        label="Who is in the audience?",
        help_text="A rule that takes people out always takes them out, whichever you choose.",
        widget=forms.RadioSelect,
        choices=[
            (Audience.Match.ALL, "People who match all the rules"),
            (Audience.Match.ANY, "People who match any of the rules"),
        ],
        initial=Audience.Match.ALL,
        error_messages={"required": "Choose whether people must match all the rules or any"},
    )


class RuleForm(forms.Form):
    """One rule: what it is about, the codes or names it takes (separated by commas), the
    months of a length of service, and whether it takes people out."""

    kind = forms.ChoiceField(
        label="What is the rule about?",
        required=False,
        choices=[("", "Choose"), *AudienceRule.Kind.choices],
        error_messages={"invalid_choice": "Choose what the rule is about from the list"},
    )
    values = forms.CharField(
        label="Codes or names",
        help_text="Separate several with commas: people with any of them match",
        required=False,
        max_length=2000,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    number = forms.IntegerField(
        label="Months of service",
        help_text="For a length of service only",
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": "Enter the months of service as a whole number, like 12"},
    )
    exclude = forms.BooleanField(
        label="Take the people this rule matches out of the audience", required=False
    )

    def rule(self) -> dict | None:
        """The rule for the services, or None for a row left blank."""
        data = self.cleaned_data
        if not data.get("kind"):
            if data.get("values") or data.get("number") is not None:
                return {"kind": "", "values": [], "number": None, "exclude": False}
            return None
        return {
            "kind": data["kind"],
            "values": [v.strip() for v in data["values"].split(",") if v.strip()],
            "number": data.get("number"),
            "exclude": data.get("exclude", False),
        }


class RuleRows:
    """The rows of rules of the audience form, numbered from 1 as the services number them
    in their messages ("Rule 2: ..."). The page adds and removes rows by posting the form."""

    MAX = 30

    def __init__(self, data=None, *, initial: list[dict] | None = None, count: int = 1):
        self.data = data
        if data is not None:
            try:
                count = int(data.get("rules", count))
            except (TypeError, ValueError):
                count = 1
            count = max(0, min(count, self.MAX))
            self.forms = [RuleForm(data, prefix=f"rule-{n}") for n in range(1, count + 1)]
        else:
            rows = initial or [{}]
            self.forms = [
                RuleForm(initial=row, prefix=f"rule-{n}") for n, row in enumerate(rows, start=1)
            ]

    def __iter__(self):
        return iter(self.forms)

    def __len__(self) -> int:
        return len(self.forms)

    def _values(self) -> list[dict]:
        rows = []
        for form in self.forms:
            rows.append(
                {
                    name: form[name].value() if name != "exclude" else bool(form["exclude"].value())
                    for name in ("kind", "values", "number", "exclude")
                }
            )
        return rows

    def _rebuild(self, rows: list[dict]) -> None:
        self.data = None
        self.forms = [
            RuleForm(initial=row, prefix=f"rule-{n}") for n, row in enumerate(rows, start=1)
        ]

    def add(self) -> bool:
        if len(self.forms) >= self.MAX:
            return False
        self._rebuild([*self._values(), {}])
        return True

    def remove(self, number: int) -> None:
        rows = self._values()
        if 1 <= number <= len(rows):
            del rows[number - 1]
        self._rebuild(rows or [{}])

    def is_valid(self) -> bool:
        return all(form.is_valid() for form in self.forms)

    def rules(self) -> list[dict]:
        """The rules given, numbered as the rows: blank rows at the end are left out, and a
        blank row between rules is a rule with nothing chosen (the services say so)."""
        found = [form.rule() for form in self.forms]
        while found and found[-1] is None:
            found.pop()
        return [rule or {"kind": "", "values": [], "number": None} for rule in found]

    def refuse(self, errors: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """Put the services' problems with rules (`rules.<n>.<field>`) on their rows; the
        problems that are not about a rule are given back."""
        others = []
        for field, message in errors:
            parts = field.split(".")
            if len(parts) == 3 and parts[0] == "rules" and parts[1].isdigit():
                n = int(parts[1])
                if 1 <= n <= len(self.forms) and self.forms[n - 1].is_bound:
                    self.forms[n - 1].add_error(parts[2], message)
                    continue
            others.append((field, message))
        return others

    @property
    def errors(self) -> list[tuple[RuleForm, str, str]]:
        """(form, field name, message) of every error on the rows, in order."""
        found = []
        for form in self.forms:
            if form.is_bound:
                for name, messages in form.errors.items():
                    found.extend((form, name, message) for message in messages)
        return found
