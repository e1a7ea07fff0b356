"""The comparison population form: its name and source, and each group's share in per cent,
dimension by dimension. A dimension may be left empty (it is then not compared); one that is
given needs every group, adding up to 100 give or take rounding."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from .equality import GROUP_HINTS, GROUPS, Comparison
from .models import ComparisonShare

ROUNDING = Decimal("0.5")  # how far a dimension's shares may add up away from 100


def share_field_name(dimension: str, index: int) -> str:
    return f"{dimension}_{index}"


class ComparisonForm(forms.Form):
    name = forms.CharField(
        label="What the population is",
        max_length=200,
        help_text="For example, Stoke-on-Trent residents aged 16 to 64, Census 2021",
        error_messages={"required": "Enter what the population is"},
    )
    source = forms.CharField(
        label="Where the figures come from (optional)",
        max_length=300,
        required=False,
        help_text="For example, ONS Census 2021 tables TS008, TS021, TS038 and TS007A",
    )

    def __init__(self, *args, comparison: Comparison | None = None, **kwargs) -> None:
        initial = kwargs.setdefault("initial", {})
        if comparison is not None:
            initial.setdefault("name", comparison.name)
            initial.setdefault("source", comparison.source)
        super().__init__(*args, **kwargs)
        self.dimensions = []
        for dimension, label in ComparisonShare.Dimension.choices:
            names = []
            for index, group in enumerate(GROUPS[dimension]):
                name = share_field_name(dimension, index)
                self.fields[name] = forms.DecimalField(
                    label=group,
                    help_text=GROUP_HINTS.get(group, ""),
                    required=False,
                    min_value=0,
                    max_value=100,
                    max_digits=4,
                    decimal_places=1,
                    widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
                    error_messages={
                        "invalid": f"Enter the share of {group} as a number, like 12.5",
                        "min_value": f"The share of {group} cannot be less than 0",
                        "max_value": f"The share of {group} cannot be more than 100",
                        "max_decimal_places": f"Give the share of {group} to one decimal place",
                        "max_digits": f"The share of {group} cannot be more than 100",
                    },
                )
                if comparison is not None:
                    held = comparison.shares.get(dimension, {}).get(group)
                    if held is not None:
                        self.initial.setdefault(name, held)
                names.append(name)
            self.dimensions.append((label, [self[name] for name in names]))

    def clean(self):
        data = super().clean()
        for dimension, label in ComparisonShare.Dimension.choices:
            names = [share_field_name(dimension, i) for i in range(len(GROUPS[dimension]))]
            if any(name in self.errors for name in names):
                continue
            given = [data.get(name) for name in names]
            if all(value is None for value in given):
                continue
            if any(value is None for value in given):
                missing = next(n for n, v in zip(names, given, strict=True) if v is None)
                self.add_error(
                    missing,
                    f"Enter a share for every {label.lower()} group, or none to leave "
                    f"{label.lower()} out (enter 0 for a group with nobody)",
                )
                continue
            total = sum(given, Decimal(0))
            if abs(total - 100) > ROUNDING:
                self.add_error(
                    names[0],
                    f"The {label.lower()} shares add up to {total}%: they should add up to 100%",
                )
        return data

    def shares(self) -> dict[tuple[str, str], Decimal]:
        """(dimension, group) -> per cent, of the dimensions given."""
        found = {}
        for dimension, _ in ComparisonShare.Dimension.choices:
            for index, group in enumerate(GROUPS[dimension]):
                value = self.cleaned_data.get(share_field_name(dimension, index))
                if value is not None:
                    found[(dimension, group)] = value
        return found
