"""The request of a yearly summary."""

from django import forms
from django.utils.translation import gettext_lazy as _

from units.models import MAX_YEAR, MIN_YEAR


class SummaryForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=MIN_YEAR, max_value=MAX_YEAR)
    unit = forms.CharField(
        label=_("unit code"),
        required=False,
        max_length=40,
        help_text=_("Empty: the whole ministry. A unit counts with its sub-units."),
    )
    first_year = forms.IntegerField(
        label=_("compare from the year"), min_value=MIN_YEAR, max_value=MAX_YEAR, required=False
    )
    format = forms.ChoiceField(
        label=_("format"),
        choices=[("xlsx", "XLSX"), ("pdf", "PDF")],
        initial="xlsx",
        required=False,
    )
    new_edition = forms.BooleanField(label=_("file a new edition (closed year)"), required=False)
