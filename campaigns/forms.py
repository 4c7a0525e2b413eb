"""Forms: input shape only. Rules live in the services, whose errors are added back to the
form so the user's input is never lost."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from campaigns.models import AwardCode, CampaignKind, CriterionKind, MeetingKind, PhaseKind
from emulation_portal.validators import LONG_TEXT_MAX
from units.models import BlocRole, Person, Unit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def add_service_error(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form (field errors where the field exists)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class CampaignForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1945, max_value=2100)
    kind = forms.ChoiceField(label=_("Kind"), choices=CampaignKind.choices)
    name = forms.CharField(label=_("Name"), max_length=400)
    theme = forms.CharField(label=_("Theme"), max_length=500, required=False)
    description = forms.CharField(
        label=_("Description"), max_length=LONG_TEXT_MAX, widget=forms.Textarea, required=False
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE)


class LaunchForm(forms.Form):
    reference = forms.CharField(label=_("Launch document"), max_length=200, required=False)


class PhaseForm(forms.Form):
    kind = forms.ChoiceField(label=_("Phase"), choices=PhaseKind.choices)
    opens_on = forms.DateField(label=_("Opens on"), widget=DATE)
    closes_on = forms.DateField(label=_("Closes on"), widget=DATE)


class ExtensionForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    closes_on = forms.DateField(label=_("New deadline"), widget=DATE)
    reason = forms.CharField(
        label=_("Reason"), max_length=LONG_TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.all()


TITLE_CHOICES = [
    ("TTLDXS", _("Excellent labour collective (TTLDXS)")),
    ("TTLDTT", _("Advanced labour collective (TTLDTT)")),
    ("CO_BO", _("Ministry emulation flag (CO_BO)")),
    ("CO_CP", _("Government emulation flag (CO_CP)")),
]


class RegistrationForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    collective_title = forms.ChoiceField(
        label=_("Collective title aimed for"), choices=TITLE_CHOICES
    )
    targets = forms.CharField(
        label=_("Targets"),
        max_length=LONG_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    people = forms.CharField(
        label=_("People aiming for individual titles"),
        help_text=_("One per line: a person code, then the title code."),
        max_length=LONG_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    initiatives = forms.CharField(
        label=_("Planned initiatives"),
        help_text=_("One per line."),
        max_length=LONG_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, units=None, example_code=None, read_only=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.none()
        if example_code:
            # A real code from the registry: its format is the one to type.
            self.fields["people"].help_text = _(
                "One per line: a person code, then the title code, e.g. %(example)s."
            ) % {"example": f"{example_code} CSTD_CS"}
        if read_only:
            for field in self.fields.values():
                field.disabled = True

    def clean_people(self):
        lines = [line.split() for line in self.cleaned_data["people"].splitlines() if line.strip()]
        bad = [" ".join(parts) for parts in lines if len(parts) != 2]
        if bad:
            raise ValidationError(
                _("Write a person code and a title code on each line: %(lines)s")
                % {"lines": "; ".join(bad)}
            )
        codes = {parts[0] for parts in lines}
        found = {p.code: p for p in Person.objects.filter(code__in=codes)}
        missing = sorted(codes - set(found))
        if missing:
            raise ValidationError(
                _("Unknown person codes: %(codes)s") % {"codes": ", ".join(missing)}
            )
        return [(found[code], title.upper()) for code, title in lines]

    def clean_initiatives(self):
        return [t.strip() for t in self.cleaned_data["initiatives"].splitlines() if t.strip()]


class PledgeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    text = forms.CharField(
        label=_("Text"),
        max_length=LONG_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )
    targets = forms.CharField(
        label=_("Targets"),
        max_length=LONG_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    signing_meeting = forms.ModelChoiceField(
        label=_("Signing meeting"), queryset=None, required=False
    )

    def __init__(self, *args, meetings=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signing_meeting"].queryset = meetings


class CriterionForm(forms.Form):
    name = forms.CharField(label=_("Criterion"), max_length=500, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=CriterionKind.choices)
    max_points = forms.DecimalField(
        label=_("Maximum points"), max_digits=7, decimal_places=2, required=False, min_value=0
    )


CriterionFormSet = forms.formset_factory(CriterionForm, extra=3, max_num=60)


class ReviseForm(forms.Form):
    change_note = forms.CharField(
        label=_("What changes"), max_length=LONG_TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )


class ScoreForm(forms.Form):
    points = forms.DecimalField(label=_("Points"), max_digits=7, decimal_places=2)
    evidence = forms.CharField(
        label=_("Evidence"),
        required=False,
        max_length=LONG_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class AdjustForm(forms.Form):
    points = forms.DecimalField(label=_("Adjusted points"), max_digits=7, decimal_places=2)
    reason = forms.CharField(
        label=_("Reason"), max_length=LONG_TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices)
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    place = forms.CharField(label=_("Place"), max_length=300)
    host = forms.ModelChoiceField(label=_("Host unit"), queryset=Unit.objects.none())
    attendees = forms.ModelMultipleChoiceField(
        label=_("Attending units"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    minutes = forms.CharField(
        label=_("Minutes"),
        max_length=LONG_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = units
        self.fields["attendees"].queryset = units


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Minutes"),
        max_length=LONG_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )
    attendees = forms.ModelMultipleChoiceField(
        label=_("Attending units"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = units


class PhotoForm(forms.Form):
    image = forms.FileField(label=_("Photo"))
    caption = forms.CharField(label=_("Caption"), max_length=300, required=False)


class VoteForm(forms.Form):
    """One unit's ballot at the year-end meeting: four questions, each optional."""

    voting_unit = forms.ModelChoiceField(label=_("Voting unit"), queryset=Unit.objects.none())
    co_bo = forms.ModelChoiceField(
        label=AwardCode.CO_BO.label, queryset=Unit.objects.none(), required=False
    )
    bk_bo = forms.ModelChoiceField(
        label=AwardCode.BK_BO.label, queryset=Unit.objects.none(), required=False
    )
    leader = forms.ModelChoiceField(
        label=_("Next year's leader"), queryset=Unit.objects.none(), required=False
    )
    deputy = forms.ModelChoiceField(
        label=_("Next year's deputy"), queryset=Unit.objects.none(), required=False
    )

    QUESTIONS = (
        ("co_bo", "acclamation", AwardCode.CO_BO),
        ("bk_bo", "acclamation", AwardCode.BK_BO),
        ("leader", "election", BlocRole.LEADER),
        ("deputy", "election", BlocRole.DEPUTY),
    )

    def __init__(self, *args, voters=None, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["voting_unit"].queryset = voters
        for name, _kind, _code in self.QUESTIONS:
            self.fields[name].queryset = candidates
