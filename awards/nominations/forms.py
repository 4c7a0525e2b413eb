"""Forms of the nominations pages. They parse input; the services decide."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from awards.models import AttachmentKind, AwardKind, AwardType, Nomination, Section
from emulation_portal.validators import LONG_TEXT_MAX
from units.models import Initiative, Person, Unit
from units.selectors import search

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class NominationCreateForm(forms.Form):
    person_code = forms.CharField(
        label=_("Person (name or code)"),
        required=False,
        max_length=200,
        help_text=_(
            "A person's name or code, accents and capitals optional; or the unit's code below."
        ),
    )
    unit_code = forms.CharField(label=_("Unit nominated (code)"), required=False, max_length=40)
    award_type = forms.ModelChoiceField(
        label=_("Award"), queryset=AwardType.objects.filter(is_active=True)
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=AwardKind.choices, initial="cong_trang")
    year = forms.IntegerField(label=_("Year of the achievement"), min_value=2000, max_value=2100)
    proposing_unit = forms.ModelChoiceField(label=_("Proposing unit"), queryset=Unit.objects.none())

    def __init__(self, *args, units=None, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["proposing_unit"].queryset = units
        self.people = people if people is not None else Person.objects.all()

    def _find_person(self, text: str):
        """The one person whose code is ``text`` (any case), else whose name or code holds
        every word of it, accents and case aside; an error on the field otherwise."""
        people = self.people.select_related("unit")
        found = list(people.filter(code__iexact=text)[:2])
        if len(found) != 1:
            found = list(search(people, text).order_by("full_name", "code")[:6])
        if not found:
            self.add_error("person_code", _("Nobody matches “%(q)s”.") % {"q": text})
            return None
        if len(found) > 1:
            names = ", ".join(f"{p.full_name} ({p.code})" for p in found[:5])
            self.add_error(
                "person_code",
                _("Several people match “%(q)s”: %(names)s. Type the code.")
                % {"q": text, "names": names + ("…" if len(found) > 5 else "")},
            )
            return None
        return found[0]

    def clean(self):
        data = super().clean()
        pcode = (data.get("person_code") or "").strip()
        ucode = (data.get("unit_code") or "").strip()
        if bool(pcode) == bool(ucode):
            raise ValidationError(_("Give either a person's code or a unit's code."))
        data["person"] = data["unit"] = None
        if pcode:
            data["person"] = self._find_person(pcode)
        else:
            data["unit"] = Unit.objects.filter(code=ucode).first()
            if data["unit"] is None:
                self.add_error("unit_code", _("No unit has this code."))
        return data


class DossierForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Nomination
        fields = [
            "background",
            "achievements",
            "rewards_received",
            "initiative",
            "deliberation_date",
            "deliberation_attendees",
            "deliberation_votes",
        ]
        widgets = {
            "background": forms.Textarea(attrs={"rows": 5}),
            "achievements": forms.Textarea(attrs={"rows": 10}),
            "rewards_received": forms.Textarea(attrs={"rows": 4}),
            "deliberation_date": DATE,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        n = self.instance
        self.fields["initiative"].queryset = (
            Initiative.objects.filter(person_id=n.person_id).order_by("-year")
            if n.person_id
            else Initiative.objects.none()
        )
        if not self.is_bound:
            self.initial["version"] = n.version


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=AttachmentKind.choices)
    file = forms.FileField(label=_("File (PDF, JPEG, PNG or DOCX)"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class MoveForm(forms.Form):
    move = forms.CharField(max_length=20)
    version = forms.IntegerField(required=False)
    section = forms.ChoiceField(choices=Section.choices, required=False, initial="general")
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=LONG_TEXT_MAX,
    )


class CommentForm(forms.Form):
    section = forms.ChoiceField(label=_("Section"), choices=Section.choices)
    text = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=LONG_TEXT_MAX
    )


class OverrideForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for overriding the verdict"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=LONG_TEXT_MAX,
    )


class ObjectionForm(forms.Form):
    text = forms.CharField(
        label=_("Your objection"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=LONG_TEXT_MAX,
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"), widget=forms.Textarea(attrs={"rows": 3}), max_length=LONG_TEXT_MAX
    )


class BatchForm(forms.Form):
    proposing_unit = forms.ModelChoiceField(label=_("Proposing unit"), queryset=Unit.objects.none())
    award_type = forms.ModelChoiceField(
        label=_("Award"),
        queryset=AwardType.objects.filter(is_active=True, subject__in=["person", "both"]),
    )
    year = forms.IntegerField(label=_("Year of the achievement"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Subject of the letter"), required=False, max_length=400)
    number = forms.CharField(label=_("Letter number"), required=False, max_length=60)
    # Ids of the people selected on the eligibility list; empty: every eligible person.
    people = forms.CharField(required=False, widget=forms.HiddenInput, max_length=20000)

    def clean_people(self) -> list[int] | None:
        raw = [p.strip() for p in self.cleaned_data.get("people", "").split(",") if p.strip()]
        if not all(p.isdigit() for p in raw):
            raise ValidationError(_("The selection is not valid; select the people again."))
        return [int(p) for p in raw] or None

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["proposing_unit"].queryset = units


class DisclosureForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    award = forms.ModelChoiceField(
        label=_("Award (empty: all)"), queryset=AwardType.objects.all(), required=False
    )
    starts_on = forms.DateField(label=_("From"), widget=DATE)
    ends_on = forms.DateField(label=_("Until"), widget=DATE)


class DeadlineForm(forms.Form):
    closes_on = forms.DateField(label=_("New deadline"), widget=DATE)
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=LONG_TEXT_MAX
    )


class ProposalsForm(forms.Form):
    bloc = forms.IntegerField(widget=forms.HiddenInput)
    year = forms.IntegerField(min_value=2000, max_value=2100)


class EmptyForm(forms.Form):
    """A POST with nothing but the CSRF token."""
