"""Forms of the decision pages; the services validate again and have the last word."""

from django import forms
from django.utils.translation import gettext_lazy as _

from awards.models import AwardType, Decision, DecisionIssuer, SignerPrefix
from emulation_portal.validators import LONG_TEXT_MAX


class NewDraftForm(forms.Form):
    issuer = forms.ModelChoiceField(DecisionIssuer.objects.all(), label=_("Issuer"))
    award_type = forms.ModelChoiceField(AwardType.objects.all(), label=_("Award"))
    year = forms.IntegerField(label=_("Year of the achievements"), min_value=2000, max_value=2100)


class TextsForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Decision
        fields = [
            "subject",
            "legal_bases",
            "articles",
            "recipients",
            "signer_prefix",
            "signer_for",
            "signer_title",
            "signer_name",
        ]
        widgets = {
            "legal_bases": forms.Textarea(attrs={"rows": 5, "maxlength": LONG_TEXT_MAX}),
            "articles": forms.Textarea(attrs={"rows": 6, "maxlength": LONG_TEXT_MAX}),
            "recipients": forms.Textarea(attrs={"rows": 3, "maxlength": LONG_TEXT_MAX}),
        }


class SignForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    date = forms.DateField(label=_("Date signed"), widget=forms.DateInput(attrs={"type": "date"}))
    signature_reference = forms.CharField(
        label=_("Digital signature reference"), max_length=300, required=False
    )
    signed_file_sha256 = forms.RegexField(
        label=_("SHA-256 of the signed file"),
        regex=r"^[0-9a-fA-F]{64}$",
        required=False,
        error_messages={
            "invalid": _("The SHA-256 of the signed file is 64 hexadecimal characters.")
        },
    )


class SignerPrefixField(forms.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=SignerPrefix.choices, **kwargs)
