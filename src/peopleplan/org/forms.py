"""Forms of the organisation's pages."""

from django import forms

from peopleplan.org.models import Unit


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
