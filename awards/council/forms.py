"""Forms of the council pages. They parse input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from awards.models import AttendanceStatus, Choice

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
RECUSE = "recused"


class SessionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    date = forms.DateField(label=_("Date"), widget=DATE)
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    year = forms.IntegerField(label=_("Year of the achievements"), min_value=2000, max_value=2100)
    secret = forms.BooleanField(label=_("Secret ballot"), required=False, initial=True)


class MoveForm(forms.Form):
    move = forms.ChoiceField(choices=[("open", "open"), ("close", "close"), ("publish", "publish")])
    version = forms.IntegerField(min_value=1, max_value=2_000_000_000)


class AttendanceForm(forms.Form):
    member = forms.IntegerField(min_value=1, max_value=2_000_000_000)
    status = forms.ChoiceField(
        label=_("Attendance"),
        choices=[
            (AttendanceStatus.PRESENT, AttendanceStatus.PRESENT.label),
            (AttendanceStatus.WRITTEN, AttendanceStatus.WRITTEN.label),
            (AttendanceStatus.ABSENT, AttendanceStatus.ABSENT.label),
        ],
    )


class SubstituteForm(forms.Form):
    member = forms.IntegerField(label=_("Member"), min_value=1, max_value=2_000_000_000)
    username = forms.CharField(label=_("Substitute's account (username)"), max_length=150)
    authorisation = forms.FileField(label=_("Written authorisation (PDF, JPEG, PNG, DOCX)"))


class BallotForm(forms.Form):
    """One choice per agenda item (``item_<id>``): approve, disapprove, abstain, and, on a
    member's own ballot, recuse. Every item starts at "approve" (approve all, then change
    the exceptions)."""

    def __init__(self, *args, items=(), recused=frozenset(), allow_recusal=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        self.recused = set(recused)
        choices = list(Choice.choices)
        if allow_recusal:
            choices.append((RECUSE, _("Recuse (conflict of interest)")))
        for item in self.items:
            if item.pk in self.recused:
                continue
            self.fields[f"item_{item.pk}"] = forms.ChoiceField(
                label=str(item.nomination.nominee),
                choices=choices,
                widget=forms.RadioSelect,
                initial=Choice.APPROVE,
                error_messages={"required": _("Choose approve, disapprove or abstain.")},
            )

    def rows(self):
        """(item, bound field or None when already recused) in agenda order."""
        for item in self.items:
            name = f"item_{item.pk}"
            yield item, (self[name] if name in self.fields else None)

    def choices(self) -> dict[int, str]:
        """{item id: choice} with recusals as ``recused``; call after ``is_valid()``."""
        out = {}
        for item in self.items:
            if item.pk in self.recused:
                out[item.pk] = RECUSE
            else:
                out[item.pk] = self.cleaned_data[f"item_{item.pk}"]
        return out

    def new_recusals(self) -> list[int]:
        return [
            item.pk
            for item in self.items
            if item.pk not in self.recused and self.cleaned_data.get(f"item_{item.pk}") == RECUSE
        ]


class TieForm(forms.Form):
    items = forms.TypedMultipleChoiceField(coerce=int, choices=(), required=False)

    def __init__(self, *args, tied=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = [(i.pk, str(i.nomination.nominee)) for i in tied]
