"""Forms of the registry pages. They only shape input; the services decide."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from units.exchange import MAX_FILE_BYTES
from units.models import (
    Discipline,
    Initiative,
    Person,
    PositionLevel,
    Rating,
    Unit,
    UnitKind,
)

DATE = {"type": "date"}


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form, by field when the form has it."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                for message in error.messages:
                    form.add_error(target, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit):
        return f"{'— ' * unit.depth}{unit.name} ({unit.code})"


class UnitForm(forms.ModelForm):
    parent = UnitChoiceField(queryset=Unit.objects.none(), required=False, label=_("parent unit"))
    successor = UnitChoiceField(
        queryset=Unit.objects.none(), required=False, label=_("merged into / renamed to")
    )

    class Meta:
        model = Unit
        fields = [
            "code",
            "name",
            "short_name",
            "kind",
            "parent",
            "active_from",
            "active_to",
            "successor",
        ]
        widgets = {"active_from": forms.DateInput(DATE), "active_to": forms.DateInput(DATE)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.only("id", "name", "code", "depth", "path")
        self.fields["parent"].queryset = units
        self.fields["successor"].queryset = units
        self.fields["kind"].choices = UnitKind.choices

    def _post_clean(self):  # the services validate; skip the model's own full_clean
        pass


class PersonForm(forms.ModelForm):
    unit = UnitChoiceField(queryset=Unit.objects.none(), label=_("current unit"))

    class Meta:
        model = Person
        fields = ["code", "full_name", "gender", "birth_date", "position", "is_manager", "unit"]
        widgets = {"birth_date": forms.DateInput(DATE)}

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.all()

    def _post_clean(self):
        pass


class InitiativeForm(forms.ModelForm):
    class Meta:
        model = Initiative
        fields = ["year", "title", "kind", "scope", "recognized_on", "recognized_by"]
        widgets = {"recognized_on": forms.DateInput(DATE)}

    def _post_clean(self):
        pass


class DisciplineForm(forms.ModelForm):
    class Meta:
        model = Discipline
        fields = ["level", "start_date", "end_date", "decision_ref", "reason"]
        widgets = {
            "start_date": forms.DateInput(DATE),
            "end_date": forms.DateInput(DATE),
            "reason": forms.Textarea(attrs={"rows": 3}),
        }

    def _post_clean(self):
        pass


class UnitRatingForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=1945, max_value=2100)
    rating = forms.ChoiceField(label=_("rating"), choices=Rating.choices)


class RatingGridForm(forms.Form):
    """One rating select and one position level select per person of the unit for the
    year."""

    def __init__(self, *args, people=(), current=None, current_levels=None, **kwargs):
        super().__init__(*args, **kwargs)
        current = current or {}
        current_levels = current_levels or {}
        choices = [("", _("— not rated —")), *Rating.choices]
        level_choices = [("", _("— not recorded —")), *PositionLevel.choices]
        self.people = list(people)
        for person in self.people:
            self.fields[f"p{person.pk}"] = forms.ChoiceField(
                label=person.full_name,
                choices=choices,
                required=False,
                initial=current.get(person.pk, ""),
            )
            self.fields[f"l{person.pk}"] = forms.ChoiceField(
                label=_("position level"),
                choices=level_choices,
                required=False,
                initial=current_levels.get(person.pk, ""),
            )

    def rows(self):
        for person in self.people:
            yield person, self[f"p{person.pk}"], self[f"l{person.pk}"]

    def ratings(self) -> dict[int, str]:
        return {p.pk: self.cleaned_data.get(f"p{p.pk}", "") for p in self.people}

    def levels(self) -> dict[int, str]:
        return {p.pk: self.cleaned_data.get(f"l{p.pk}", "") for p in self.people}


class BlocMemberForm(forms.Form):
    unit = UnitChoiceField(queryset=Unit.objects.none(), label=_("unit"))
    role = forms.ChoiceField(label=_("role"), choices=[])

    def __init__(self, *args, **kwargs):
        from units.models import BlocRole

        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(active_to__isnull=True).only(
            "id", "name", "code", "depth", "path"
        )
        self.fields["role"].choices = BlocRole.choices


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ImportForm(forms.Form):
    files = MultipleFileField(
        label=_("XLSX workbook or CSV files"),
        widget=MultipleFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        if not files:
            raise forms.ValidationError(_("Choose a file."))
        names = [f.name.lower() for f in files]
        xlsx = [n for n in names if n.endswith(".xlsx")]
        csvs = [n for n in names if n.endswith(".csv")]
        if len(xlsx) + len(csvs) != len(names) or (xlsx and (csvs or len(xlsx) > 1)):
            raise forms.ValidationError(
                _("Upload one .xlsx workbook, or one or more .csv files named after the sheets.")
            )
        if any(f.size > MAX_FILE_BYTES for f in files):
            raise forms.ValidationError(
                _("The file is too large (at most %(mb)s MB).")
                % {"mb": MAX_FILE_BYTES // (1024 * 1024)}
            )
        return files
