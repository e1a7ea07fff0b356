"""Forms of evaluation: the answer form (made from the fixed question set for the request's kind
and respondent) and the filters of the results. The pages and the API both use them, so an
answer is checked the same way wherever it comes from."""

from __future__ import annotations

from django import forms

from peopleplan.learning.evaluation import TEXT_LIMIT, questions_for
from peopleplan.learning.evaluation_results import GROUP_LABELS, Filters


class ResponseForm(forms.Form):
    def __init__(self, *args, kind: str, role: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions_for(kind)
        for question in self.questions:
            text = question.text_for(role)
            if question.answer in ("rating", "choice"):
                self.fields[question.key] = forms.TypedChoiceField(
                    label=text,
                    choices=[(str(v), label) for v, label in question.options],
                    coerce=int if question.answer == "rating" else str,
                    widget=forms.RadioSelect,
                    help_text=question.hint,
                    error_messages={
                        "required": f"Select an answer to “{text}”",
                        "invalid_choice": f"Select one of the answers to “{text}”",
                    },
                )
            else:
                self.fields[question.key] = forms.CharField(
                    label=text,
                    required=question.required,
                    max_length=TEXT_LIMIT,
                    widget=forms.Textarea(attrs={"rows": 4}),
                    help_text=question.hint,
                    error_messages={
                        "required": f"Enter an answer to “{text}”",
                        "max_length": f"“{text}” must be {TEXT_LIMIT} characters or fewer",
                    },
                )

    def rows(self):
        """(question, bound field) in the order asked."""
        return [(q, self[q.key]) for q in self.questions]


class ResultsFilterForm(forms.Form):
    group = forms.ChoiceField(
        label="Show results by",
        choices=list(GROUP_LABELS.items()),
        required=False,
        error_messages={"invalid_choice": "Choose item, session, trainer or provider"},
    )
    item = forms.TypedChoiceField(label="Learning item", coerce=int, required=False)
    provider = forms.TypedChoiceField(label="Provider", coerce=int, required=False)
    trainer = forms.TypedChoiceField(label="Trainer", coerce=int, required=False)
    date_from = forms.DateField(
        label="Sessions from",
        required=False,
        help_text="For example, 2026-04-01.",
        input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y", "%d-%m-%Y"],
        error_messages={"invalid": "Enter the start of the dates as a real date, like 2026-04-01"},
    )
    date_to = forms.DateField(
        label="Sessions to",
        required=False,
        help_text="For example, 2027-03-31.",
        input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y", "%d-%m-%Y"],
        error_messages={"invalid": "Enter the end of the dates as a real date, like 2027-03-31"},
    )

    def __init__(self, *args, choices: dict[str, list[tuple[int, str]]], **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("item", "provider", "trainer"):
            field = self.fields[name]
            field.choices = [("", "All")] + [(str(pk), label) for pk, label in choices[name]]
            field.error_messages["invalid_choice"] = f"Choose a {field.label.lower()} from the list"

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The end of the dates must be on or after the start")
        return data

    def chosen_group(self) -> str:
        return (self.cleaned_data.get("group") if self.is_valid() else "") or "item"

    def filters(self) -> Filters:
        if not self.is_valid():
            return Filters()
        data = self.cleaned_data
        return Filters(
            item=data.get("item") or None,
            provider=data.get("provider") or None,
            trainer=data.get("trainer") or None,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
