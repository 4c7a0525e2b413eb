"""Registry pages: the unit tree, unit and person pages, the rating grid, blocs by year,
and the office's import (upload, preview, confirm) and export. Views check permissions and
call services; they hold no business rule."""

import json
import uuid
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from emulation_portal.jobs import start_job
from emulation_portal.links import url_maker
from emulation_portal.models import Job
from units import panels, selectors, services, tasks
from units.exchange import PREVIEW_JOB_KIND, upload_folder
from units.forms import (
    BlocMemberForm,
    DisciplineForm,
    ImportForm,
    InitiativeForm,
    PersonForm,
    RatingGridForm,
    UnitForm,
    UnitRatingForm,
    apply_errors,
)
from units.models import (
    Bloc,
    BlocMembership,
    BlocRole,
    Discipline,
    Gender,
    Initiative,
    Person,
    PersonYear,
    Unit,
)
from units.rules import is_reader, officer_units

PAGE_SIZE = 50


def _year_param(request, default: int) -> int:
    try:
        year = int(request.GET.get("year", default))
    except (TypeError, ValueError):
        return default
    return year if 1945 <= year <= 2100 else default


def _this_year() -> int:
    return timezone.localdate().year


def _unit_for(request, code: str, perm: str = "units.view_unit") -> Unit:
    unit = get_object_or_404(Unit.objects.select_related("parent", "successor"), code=code)
    if not request.user.has_perm(perm, unit):
        raise Http404 if perm == "units.view_unit" else PermissionDenied
    return unit


def _person_for(request, code: str, perm: str = "units.view_person") -> Person:
    person = get_object_or_404(Person.objects.select_related("unit"), code=code)
    if not request.user.has_perm(perm, person):
        raise Http404 if perm == "units.view_person" else PermissionDenied
    return person


def _tree(units) -> tuple[list[dict], range]:
    """The units (in ``path`` order, i.e. depth-first) as a flat list for a nested list
    rendered in one loop: each item says how many open levels close before it and whether
    a level opens under it. Returns the items and the levels left open at the end."""
    stack: list[str] = []
    items = []
    for i, unit in enumerate(units):
        closes = 0
        while stack and not unit.path.startswith(stack[-1]):
            stack.pop()
            closes += 1
        opens = i + 1 < len(units) and units[i + 1].path.startswith(unit.path)
        if opens:
            stack.append(unit.path)
        items.append({"unit": unit, "closes": range(closes), "opens": opens})
    return items, range(len(stack))


# -- units ---------------------------------------------------------------------------------
@login_required
@permission_required("units.browse", raise_exception=True)
def unit_tree(request):
    units = selectors.visible_units(request.user).only(
        "id", "code", "name", "kind", "parent_id", "path", "depth", "active_to"
    )
    q = request.GET.get("q", "").strip()
    if q:
        results = list(selectors.search(units, q)[:200])
        return render(request, "units/unit_tree.html", {"results": results, "q": q})
    items, still_open = _tree(list(units.order_by("path")))
    return render(
        request, "units/unit_tree.html", {"items": items, "still_open": still_open, "q": ""}
    )


@login_required
def unit_detail(request, code):
    unit = _unit_for(request, code)
    people = (
        Person.objects.filter(unit=unit)
        .only("id", "code", "full_name", "position", "is_manager", "gender")
        .order_by("full_name", "code")
    )
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "unit": unit,
        "children": selectors.visible_units(request.user).filter(parent=unit).order_by("path"),
        "page": page,
        "ratings": unit.ratings.order_by("-year"),
        "memberships": selectors.unit_bloc_by_year(unit),
        # A unit officer's scope is a subtree: the parent (or a successor elsewhere) is
        # named, not linked, when its page would refuse them.
        "parent_link": unit.parent is not None
        and request.user.has_perm("units.view_unit", unit.parent),
        "successor_link": unit.successor is not None
        and request.user.has_perm("units.view_unit", unit.successor),
        "can_manage": request.user.has_perm("units.rate_unit_year", unit),
        "can_edit": request.user.has_perm("units.change_unit", unit),
        "can_rate_unit": request.user.has_perm("units.set_unit_rating", unit),
        "rating_form": UnitRatingForm(initial={"year": _this_year() - 1}),
        "panels": panels.unit_panels(request, unit),
        "this_year": _this_year(),
    }
    return render(request, "units/unit_detail.html", context)


@login_required
@permission_required("units.add_unit", raise_exception=True)
def unit_create(request):
    form = UnitForm(request.POST or None, initial={"parent": request.GET.get("parent")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            unit = services.create_unit(
                request.user,
                code=data["code"],
                name=data["name"],
                kind=data["kind"],
                parent=data["parent"],
                short_name=data["short_name"],
                active_from=data["active_from"],
                active_to=data["active_to"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Unit created."))
            return redirect("units:unit-detail", code=unit.code)
    return render(request, "units/form.html", {"form": form, "title": _("New unit")})


@login_required
def unit_edit(request, code):
    unit = _unit_for(request, code, "units.change_unit")
    form = UnitForm(request.POST or None, instance=Unit.objects.get(pk=unit.pk))
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.update_unit(request.user, unit, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Unit saved."))
            return redirect("units:unit-detail", code=unit.code)
    return render(request, "units/form.html", {"form": form, "title": unit.name, "back": unit})


@login_required
@require_POST
def unit_rating(request, code):
    unit = _unit_for(request, code, "units.set_unit_rating")
    form = UnitRatingForm(request.POST)
    if form.is_valid():
        try:
            services.set_unit_rating(request.user, unit=unit, **form.cleaned_data)
            messages.success(request, _("Unit rating saved."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Choose a year and a rating."))
    return redirect("units:unit-detail", code=unit.code)


@login_required
def rating_grid(request, code, year):
    """Rate every person of the unit for one year in one go."""
    unit = _unit_for(request, code, "units.rate_unit_year")
    if not 1945 <= year <= services.last_allowed_year():
        raise Http404
    people = list(
        selectors.unit_year_people(unit, year)
        .only("id", "code", "full_name", "position")
        .order_by("full_name", "code")
    )
    current, current_levels = {}, {}
    for pid, rating, level in PersonYear.objects.filter(
        year=year, person__in=[p.pk for p in people]
    ).values_list("person_id", "rating", "position_level"):
        current[pid], current_levels[pid] = rating, level
    form = RatingGridForm(
        request.POST or None, people=people, current=current, current_levels=current_levels
    )
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.rate_people(
                request.user,
                unit=unit,
                year=year,
                ratings=form.ratings(),
                levels=form.levels(),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("%(n)s rating(s) saved.") % {"n": changed})
            return redirect("units:rating-grid", code=unit.code, year=year)
    years = range(services.last_allowed_year(), services.last_allowed_year() - 11, -1)
    return render(
        request,
        "units/rating_grid.html",
        {"unit": unit, "year": year, "form": form, "years": years},
    )


# -- people --------------------------------------------------------------------------------
@login_required
@permission_required("units.browse", raise_exception=True)
def person_list(request):
    people = selectors.visible_people(request.user)
    q = request.GET.get("q", "").strip()
    people = selectors.search(people, q)
    unit_code = request.GET.get("unit", "").strip()
    unit = None
    if unit_code:
        unit = selectors.visible_units(request.user).filter(code=unit_code).first()
        people = people.filter(unit__path__startswith=unit.path) if unit else people.none()
    last = PersonYear.objects.filter(person=OuterRef("pk")).exclude(rating="").order_by("-year")
    people = (
        people.select_related("unit")
        .only(
            "id",
            "code",
            "full_name",
            "gender",
            "position",
            "is_manager",
            "unit__code",
            "unit__name",
        )
        .annotate(
            last_year=Subquery(last.values("year")[:1]),
            last_rating=Subquery(last.values("rating")[:1]),
        )
    )
    people = selectors.by_name(people, searching=bool(q))
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    person_url, unit_url = url_maker("units:person-detail"), url_maker("units:unit-detail")
    genders = {value: str(label) for value, label in Gender.choices}
    # Links and labels once per page, not a {% url %} and a lazy label per row.
    rows = list(page)
    for p in rows:
        p.url, p.unit_url = person_url(p.code), unit_url(p.unit.code)
        p.gender_label = genders.get(p.gender, p.gender)
    return render(
        request,
        "units/person_list.html",
        {
            "page": page,
            "rows": rows,
            "q": q,
            "unit": unit,
            "unit_code": unit_code,
            "can_add": request.user.has_perm("units.add_person"),
        },
    )


@login_required
def person_detail(request, code):
    person = _person_for(request, code)
    years = person.years.select_related("unit").order_by("-year")
    return render(
        request,
        "units/person_detail.html",
        {
            "person": person,
            "years": years,
            "initiatives": person.initiatives.order_by("-year", "title"),
            "disciplines": person.disciplines.order_by("-start_date"),
            "can_edit": request.user.has_perm("units.change_person", person),
            "show_birth_date": request.user.has_perm("units.read_birth_date", person),
            "show_discipline": request.user.has_perm("units.read_discipline", person),
            "panels": panels.person_panels(request, person),
        },
    )


def _units_for_form(user):
    return (
        selectors.visible_units(user)
        .filter(active_to__isnull=True)
        .only("id", "code", "name", "depth", "path")
        .order_by("path")
        if not user.has_perm("units.add_unit")
        else Unit.objects.only("id", "code", "name", "depth", "path").order_by("path")
    )


@login_required
@permission_required("units.add_person", raise_exception=True)
def person_create(request):
    units = _units_for_form(request.user)
    initial_unit = units.filter(code=request.GET.get("unit", "")).first()
    form = PersonForm(request.POST or None, units=units, initial={"unit": initial_unit})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not request.user.has_perm("units.add_person", data["unit"]):
            raise PermissionDenied
        try:
            person = services.create_person(request.user, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Person added."))
            return redirect("units:person-detail", code=person.code)
    return render(request, "units/form.html", {"form": form, "title": _("New person")})


@login_required
def person_edit(request, code):
    person = _person_for(request, code, "units.change_person")
    units = _units_for_form(request.user)
    form = PersonForm(request.POST or None, instance=Person.objects.get(pk=person.pk), units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not request.user.has_perm("units.add_person", data["unit"]):
            raise PermissionDenied
        try:
            person = services.update_person(request.user, person, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Person saved."))
            return redirect("units:person-detail", code=person.code)
    return render(
        request, "units/form.html", {"form": form, "title": person.full_name, "back_person": person}
    )


@login_required
def initiative_create(request, code):
    person = _person_for(request, code, "units.change_person")
    form = InitiativeForm(request.POST or None, initial={"year": _this_year() - 1})
    if request.method == "POST" and form.is_valid():
        try:
            services.add_initiative(request.user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Initiative recorded."))
            return redirect("units:person-detail", code=person.code)
    return render(
        request,
        "units/form.html",
        {"form": form, "title": _("New initiative"), "back_person": person},
    )


@login_required
@require_POST
def initiative_delete(request, code, pk):
    person = _person_for(request, code, "units.change_person")
    initiative = get_object_or_404(Initiative, pk=pk, person=person)
    services.delete_initiative(request.user, initiative)
    messages.success(request, _("Initiative deleted."))
    return redirect("units:person-detail", code=person.code)


@login_required
def discipline_form(request, code, pk=None):
    person = _person_for(request, code, "units.change_person")
    instance = get_object_or_404(Discipline, pk=pk, person=person) if pk else None
    form = DisciplineForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            if instance:
                services.update_discipline(request.user, instance, **form.cleaned_data)
            else:
                services.add_discipline(request.user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Discipline saved."))
            return redirect("units:person-detail", code=person.code)
    return render(
        request, "units/form.html", {"form": form, "title": _("Discipline"), "back_person": person}
    )


@login_required
@require_POST
def discipline_delete(request, code, pk):
    person = _person_for(request, code, "units.change_person")
    discipline = get_object_or_404(Discipline, pk=pk, person=person)
    services.delete_discipline(request.user, discipline)
    messages.success(request, _("Discipline deleted."))
    return redirect("units:person-detail", code=person.code)


# -- blocs ---------------------------------------------------------------------------------
def _default_bloc_year() -> int:
    latest = BlocMembership.objects.order_by("-year").values_list("year", flat=True).first()
    return latest or _this_year()


@login_required
@permission_required("units.view_bloc", raise_exception=True)
def bloc_list(request):
    year = _year_param(request, _default_bloc_year())
    blocs = list(Bloc.objects.order_by("kind", "code"))
    heads = {}
    sizes = {}
    for m in (
        BlocMembership.objects.filter(year=year)
        .select_related("unit")
        .only("bloc_id", "role", "unit__code", "unit__name")
    ):
        sizes[m.bloc_id] = sizes.get(m.bloc_id, 0) + 1
        if m.role != BlocRole.MEMBER:
            heads[(m.bloc_id, m.role)] = m.unit
    rows = [
        {
            "bloc": b,
            "leader": heads.get((b.pk, "leader")),
            "deputy": heads.get((b.pk, "deputy")),
            "size": sizes.get(b.pk, 0),
        }
        for b in blocs
    ]
    years = sorted(
        set(BlocMembership.objects.values_list("year", flat=True).distinct()), reverse=True
    )
    return render(request, "units/bloc_list.html", {"rows": rows, "year": year, "years": years})


@login_required
@permission_required("units.view_bloc", raise_exception=True)
def bloc_detail(request, code):
    bloc = get_object_or_404(Bloc, code=code)
    years = selectors.bloc_years(bloc)
    year = _year_param(request, years[0] if years else _this_year())
    members = (
        BlocMembership.objects.filter(bloc=bloc, year=year)
        .select_related("unit")
        .order_by("role", "unit__name")
    )
    can_change = request.user.has_perm("units.change_bloc", bloc)
    visible = officer_units(request.user)
    return render(
        request,
        "units/bloc_detail.html",
        {
            "bloc": bloc,
            "year": year,
            "years": years,
            "members": members,
            "can_change": can_change,
            "form": BlocMemberForm() if can_change else None,
            "roles": BlocRole.choices,
            # Readers open every unit; an officer only those in scope (asked without an
            # object, "units.view_unit" holds for any officer).
            "reader": is_reader(request.user),
            "officer_units": visible,
        },
    )


def _bloc_write(request, code):
    bloc = get_object_or_404(Bloc, code=code)
    if not request.user.has_perm("units.change_bloc", bloc):
        raise PermissionDenied
    try:
        year = services.check_year(request.POST.get("year"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return bloc, None
    return bloc, year


def _back_to_bloc(bloc, year):
    url = reverse("units:bloc-detail", kwargs={"code": bloc.code})
    return redirect(f"{url}?year={year}" if year else url)


@login_required
@require_POST
def bloc_member_add(request, code):
    bloc, year = _bloc_write(request, code)
    if year:
        form = BlocMemberForm(request.POST)
        if form.is_valid():
            try:
                services.add_bloc_member(request.user, bloc=bloc, year=year, **form.cleaned_data)
                messages.success(request, _("Member added."))
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
        else:
            messages.error(request, _("Choose a unit and a role."))
    return _back_to_bloc(bloc, year)


@login_required
@require_POST
def bloc_member_role(request, code):
    bloc, year = _bloc_write(request, code)
    if year:
        unit = get_object_or_404(Unit, pk=request.POST.get("unit"))
        try:
            services.set_bloc_role(
                request.user, bloc=bloc, year=year, unit=unit, role=request.POST.get("role", "")
            )
            messages.success(request, _("Role changed."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return _back_to_bloc(bloc, year)


@login_required
@require_POST
def bloc_member_remove(request, code):
    bloc, year = _bloc_write(request, code)
    if year:
        unit = get_object_or_404(Unit, pk=request.POST.get("unit"))
        services.remove_bloc_member(request.user, bloc=bloc, year=year, unit=unit)
        messages.success(request, _("Member removed."))
    return _back_to_bloc(bloc, year)


@login_required
@require_POST
def bloc_carry_forward(request, code):
    bloc, year = _bloc_write(request, code)
    if year:
        try:
            created = services.carry_bloc_forward(request.user, bloc=bloc, year=year)
            messages.success(
                request,
                _("%(n)s unit(s) copied into %(year)s.") % {"n": len(created), "year": year + 1},
            )
            year += 1
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return _back_to_bloc(bloc, year)


# -- exchange ------------------------------------------------------------------------------
SESSION_KEY = "units_import_uploads"


@login_required
@permission_required("units.import_data", raise_exception=True)
def import_upload(request):
    """Upload; the preview (a dry run of what would be created or changed, and every error)
    runs as a background job, since a ministry's history takes minutes to check. Its page
    links to the preview, where the office confirms."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        token = uuid.uuid4().hex
        folder = upload_folder(token)
        folder.mkdir(parents=True)
        for upload in form.cleaned_data["files"]:
            name = Path(upload.name).name.lower()
            with (folder / name).open("wb") as fh:
                for chunk in upload.chunks():
                    fh.write(chunk)
        request.session[SESSION_KEY] = [*request.session.get(SESSION_KEY, [])[-4:], token]
        job = start_job(request.user, PREVIEW_JOB_KIND, tasks.preview_upload, {"token": token})
        messages.info(request, _("The file is being checked; the preview follows."))
        return redirect("job-detail", pk=job.pk)
    return render(request, "units/import.html", {"form": form})


@login_required
@permission_required("units.import_data", raise_exception=True)
def import_preview(request, job_id):
    """The preview job's outcome: counts per sheet and every error; with no error, and the
    upload still the user's own, the button that confirms the import."""
    job = get_object_or_404(
        Job, pk=job_id, owner=request.user, kind=PREVIEW_JOB_KIND, state=Job.State.SUCCESS
    )
    with job.result_file.open("rb") as fh:
        result = json.loads(fh.read().decode())
    token = job.params.get("token", "")
    owned = token in request.session.get(SESSION_KEY, []) and upload_folder(token).is_dir()
    return render(
        request,
        "units/import_preview.html",
        {"result": result, "token": token if owned and not result["errors"] else None},
    )


@login_required
@permission_required("units.import_data", raise_exception=True)
@require_POST
def import_confirm(request):
    """Run the previewed import as a background job (its page shows the outcome)."""
    token = request.POST.get("token", "")
    owned = request.session.get(SESSION_KEY, [])
    if token not in owned or not token.isalnum() or not upload_folder(token).is_dir():
        messages.error(request, _("This upload has expired; upload the file again."))
        return redirect("units:import")
    request.session[SESSION_KEY] = [t for t in owned if t != token]
    job = start_job(request.user, "units_import", tasks.import_upload, {"token": token})
    messages.info(request, _("The import is running."))
    return redirect("job-detail", pk=job.pk)


@login_required
@permission_required("units.export_data", raise_exception=True)
@require_POST
def export_download(request):
    """Start the export as a background job; its page shows progress and the download."""
    job = start_job(request.user, "units_export", tasks.export_xlsx)
    messages.info(request, _("The export is being prepared."))
    return redirect("job-detail", pk=job.pk)
