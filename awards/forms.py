from django import forms
from django.utils.translation import gettext_lazy as _

from awards import selectors
from awards.models import AwardType


class EligibilityQueryForm(forms.Form):
    """“Who is eligible for X in year Y” (GET)."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    award = forms.ModelChoiceField(
        label=_("Award"),
        queryset=AwardType.objects.none(),
        to_field_name="code",
        empty_label=_("Every award"),
        required=False,
    )
    subject = forms.ChoiceField(
        label=_("Subject"),
        required=False,
        choices=[("", _("People and units")), ("person", _("People")), ("unit", _("Units"))],
    )
    eligible_only = forms.BooleanField(label=_("Eligible only"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, y) for y in selectors.judgeable_years()]
        self.fields["award"].queryset = selectors.catalogue()
        self.fields["award"].label_from_instance = lambda t: f"{t.code} - {t.name}"
