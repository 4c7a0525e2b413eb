"""Forms of the decision pages; the services validate again and have the last word."""

from django import forms
from django.utils.translation import gettext_lazy as _

from awards.models import AwardType, Decision, DecisionIssuer, SignerPrefix
from awards.models.decisions import HIGHER_AUTHORITIES
from emulation_portal.validators import LONG_TEXT_MAX, TITLE_MAX


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


class NewSubmissionForm(forms.Form):
    """A submission to a higher level: its authority, subject line and the approved
    nominations it sends (offered from ``choices``, the ones not sent yet)."""

    authority = forms.ChoiceField(label=_("Sent to"), choices=HIGHER_AUTHORITIES)
    title = forms.CharField(label=_("Subject line"), max_length=TITLE_MAX)
    nominations = forms.TypedMultipleChoiceField(
        label=_("Nominations"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nominations"].choices = list(choices)
        self.fields["nominations"].error_messages["required"] = _(
            "Choose the approved nominations to send."
        )


class SendSubmissionForm(forms.Form):
    number = forms.CharField(label=_("Submission number"), max_length=60)
    date = forms.DateField(label=_("Date sent"), widget=forms.DateInput(attrs={"type": "date"}))


class ExternalDecisionForm(forms.Form):
    """The higher level's decision: its number and date, and the names of the submission's
    list it confers (offered from ``choices``, the ones not conferred yet)."""

    number = forms.CharField(label=_("Decision number"), max_length=60)
    date = forms.DateField(label=_("Decision date"), widget=forms.DateInput(attrs={"type": "date"}))
    nominations = forms.TypedMultipleChoiceField(
        label=_("Names the decision confers"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nominations"].choices = list(choices)
        self.fields["nominations"].error_messages["required"] = _(
            "Choose the names the decision confers."
        )
