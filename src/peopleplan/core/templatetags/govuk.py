"""Template helpers for the GOV.UK Design System: form widgets with the right classes, dates
and numbers written the GOV.UK way, pagination and a scrolling wrapper for wide tables.

    {% load govuk %}
    {{ form.email|govuk_widget:"govuk-!-width-two-thirds" }}
    {{ person.service_start|govuk_date }}          1 April 2020
    {{ figures.fte|fte }}                            12.5
    {% table_wrapper "People in Adults" %}<table>...</table>{% endtable_wrapper %}
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django import forms, template
from django.core.paginator import Page
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString

register = template.Library()

EMPTY = "Not recorded"


# --- forms -----------------------------------------------------------------------------------


def _widget_class(widget: forms.Widget) -> str:
    if isinstance(widget, forms.Select):
        return "govuk-select"
    if isinstance(widget, forms.Textarea):
        return "govuk-textarea"
    if isinstance(widget, forms.CheckboxInput):
        return "govuk-checkboxes__input"
    if isinstance(widget, forms.FileInput):
        return "govuk-file-upload"
    return "govuk-input"


@register.filter
def govuk_widget(field: forms.BoundField, extra_classes: str = "") -> SafeString:
    """The field's widget with the GOV.UK class (and its error modifier), pointing
    `aria-describedby` at the hint and error message the field component renders."""
    widget = field.field.widget
    base = _widget_class(widget)
    classes = [widget.attrs.get("class", ""), base, extra_classes]
    if field.errors and base != "govuk-checkboxes__input":
        classes.append(f"{base}--error")
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}-hint")
    if field.errors:
        described_by.append(f"{field.auto_id}-error")
    attrs = {"class": " ".join(c for c in classes if c)}
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return field.as_widget(attrs=attrs)


@register.filter
def is_checkbox(field: forms.BoundField) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)


# --- values ----------------------------------------------------------------------------------


@register.filter
def govuk_date(value, empty: str = "") -> str:
    """A date the GOV.UK way: 1 April 2020 (a datetime in local time: 1 April 2020 at 2:15pm)."""
    if value in (None, ""):
        return empty
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        hour = value.hour % 12 or 12
        minutes = f":{value.minute:02d}" if value.minute else ""
        time = f"{hour}{minutes}{'am' if value.hour < 12 else 'pm'}"
        return f"{value.day} {value:%B %Y} at {time}"
    if isinstance(value, dt.date):
        return f"{value.day} {value:%B %Y}"
    return str(value)


@register.filter
def iso_date(value) -> str:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return ""


@register.filter
def fte(value) -> str:
    """A full-time equivalent: at most two decimal places, no trailing zeros (1, 0.5, 12.25)."""
    if value in (None, ""):
        return "0"
    try:
        number = Decimal(value).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    text = f"{number:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@register.filter
def pounds(value, empty: str = "") -> str:
    """An amount in pounds and pence: £1,234.50."""
    if value in (None, ""):
        return empty
    try:
        number = Decimal(value).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    return f"-£{-number:,}" if number < 0 else f"£{number:,}"


@register.filter
def display(value, empty: str = EMPTY) -> str:
    """A value for a summary list: dates written out, empty values said in words."""
    if value in (None, ""):
        return empty or EMPTY
    if isinstance(value, dt.date):
        return govuk_date(value)
    return str(value)


@register.filter
def is_date(value) -> bool:
    return isinstance(value, dt.date)


@register.filter
def duration(value: dt.timedelta | None) -> str:
    """A length of time in words: 30 minutes, 1 hour, 2 hours 15 minutes."""
    if not value:
        return ""
    minutes = round(value.total_seconds() / 60)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    parts = []
    for amount, unit in ((days, "day"), (hours, "hour"), (minutes, "minute")):
        if amount:
            parts.append(f"{amount} {unit}{'' if amount == 1 else 's'}")
    return " ".join(parts) or "less than a minute"


@register.filter
def plural(count: int, words: str) -> str:
    """`{{ n|plural:"person,people" }}` gives "1 person" or "3 people"."""
    singular, _, many = words.partition(",")
    return f"{count} {singular if count == 1 else many}"


# --- pagination ------------------------------------------------------------------------------


@register.simple_tag
def elided_pages(page: Page, on_each_side: int = 1, on_ends: int = 1) -> list:
    """Page numbers around the current one, with `None` where numbers are left out."""
    ellipsis = page.paginator.ELLIPSIS
    return [
        None if number == ellipsis else number
        for number in page.paginator.get_elided_page_range(
            page.number, on_each_side=on_each_side, on_ends=on_ends
        )
    ]


@register.simple_tag(takes_context=True)
def page_href(context, number: int, param: str = "page", anchor: str = "") -> str:
    """The address of another page of a list: this page's query with `param` changed, so that
    a search, the filters and any other list on the page keep their place."""
    query = context["request"].GET.copy()
    query[param] = number
    return f"?{query.urlencode()}" + (f"#{anchor}" if anchor else "")


# --- wide tables -----------------------------------------------------------------------------


class TableWrapperNode(template.Node):
    def __init__(self, nodelist: template.NodeList, label: template.base.FilterExpression):
        self.nodelist = nodelist
        self.label = label

    def render(self, context) -> str:
        return render_to_string(
            "core/components/table_wrapper.html",
            {"label": self.label.resolve(context), "content": self.nodelist.render(context)},
        )


@register.tag
def table_wrapper(parser, token):
    """`{% table_wrapper "label" %}<table>...</table>{% endtable_wrapper %}`: the table scrolls
    sideways inside a focusable, labelled region on a narrow screen; the page does not."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"{bits[0]} takes one argument: the region's label")
    nodelist = parser.parse(("endtable_wrapper",))
    parser.delete_first_token()
    return TableWrapperNode(nodelist, parser.compile_filter(bits[1]))
