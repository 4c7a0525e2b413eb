"""Every URL pattern and every API route, with every method and every role: no answer is 5xx.

The urlconf is walked recursively (the site's pages, the router's API, the admin), each path
parameter filled from a small world built once for the module (a unit and its sub-unit, a
person with records, a bloc with a pledge, scores, a ranking and a meeting, a campaign, an
award record, a nomination with a comment, a file, a letter and a disclosure, a job). Each
role runs in its own transaction, so what one role's DELETE or POST changes the next role
does not see.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone
from rest_framework.viewsets import ViewSetMixin

from awards.models import (
    Attachment,
    AwardRecord,
    AwardType,
    Batch,
    Disclosure,
    Nomination,
    Objection,
    ReviewComment,
)
from campaigns.models import (
    AcclamationProposal,
    AcclamationVote,
    BlocMeeting,
    Campaign,
    Criterion,
    ElectionVote,
    Phase,
    Pledge,
    Ranking,
    RankingEntry,
    Registration,
    Score,
    Signature,
)
from emulation_portal.models import Job, Role
from tests.factories import UserFactory
from units.models import (
    Bloc,
    BlocMembership,
    Discipline,
    Initiative,
    Person,
    PersonYear,
    Unit,
    UnitOfficer,
    UnitRating,
)

ROLES = ["anonymous", "admin", "office", "officer", "council", "viewer"]
API_METHODS = ["get", "options", "post", "put", "patch", "delete"]
PAGE_METHODS = ["get", "post"]
# Numeric query parameters out of every range: each must be a 400 (or ignored), never a 500.
BAD_QUERIES = [
    "?year=0",
    "?year=10000",
    "?year=99999999999999999999",
    "?year=abc&page=0&page_size=-1",
    "?page=99999999999999999999&page_size=99999999999999999999",
]


@dataclass
class World:
    users: dict
    objects: dict = field(default_factory=dict)


def _build_world() -> World:
    year = 2026
    bo = Unit.objects.create(code="BO", name="Bộ", kind="BO")
    vp = Unit.objects.create(code="VP", name="Văn phòng Bộ", kind="VAN_PHONG", parent=bo)
    kh = Unit.objects.create(code="VU_KH", name="Vụ Kế hoạch", kind="VU", parent=bo)
    users = {
        "admin": UserFactory(role=Role.ADMIN, username="w_admin", is_staff=True, is_superuser=True),
        "office": UserFactory(role=Role.OFFICE, username="w_office", is_staff=True),
        "officer": UserFactory(role=Role.UNIT_OFFICER, username="w_officer"),
        "council": UserFactory(role=Role.COUNCIL, username="w_council"),
        "viewer": UserFactory(role=Role.VIEWER, username="w_viewer"),
    }
    UnitOfficer.objects.create(user=users["officer"], unit=vp)
    person = Person.objects.create(code="P001", full_name="Trần Thị Hoa", gender="F", unit=vp)
    person_year = PersonYear.objects.create(person=person, year=2025, unit=vp, rating="HTXSNV")
    unit_rating = UnitRating.objects.create(unit=vp, year=2025, rating="HTXSNV")
    initiative = Initiative.objects.create(
        person=person, year=2025, title="Sáng kiến", kind="initiative", scope="CO_SO"
    )
    discipline = Discipline.objects.create(
        person=person, level="KHIEN_TRACH", start_date=dt.date(2020, 1, 1)
    )
    bloc = Bloc.objects.create(code="KHOI_T", name="Khối tổng hợp", kind="KHOI")
    membership = BlocMembership.objects.create(
        bloc=bloc, year=year, unit=vp, role="leader", bloc_kind=bloc.kind
    )
    BlocMembership.objects.create(bloc=bloc, year=year, unit=kh, role="member", bloc_kind="KHOI")
    campaign = Campaign.objects.create(
        year=year,
        kind="annual",
        name="Phong trào thi đua năm 2026",
        starts_on=dt.date(year, 1, 1),
        ends_on=dt.date(year, 12, 31),
    )
    phase = Phase.objects.create(
        campaign=campaign,
        kind="registration",
        opens_on=dt.date(year, 1, 1),
        closes_on=dt.date(year, 3, 31),
    )
    registration = Registration.objects.create(
        campaign=campaign, unit=vp, collective_title="TTLDXS"
    )
    now = timezone.now()
    pledge = Pledge.objects.create(
        bloc=bloc, year=year, title="Giao ước", state="locked", locked_at=timezone.now()
    )
    criterion = Criterion.objects.create(
        pledge=pledge, order=1, name="Tiêu chí", kind="standard", max_points=60
    )
    signature = Signature.objects.create(pledge=pledge, unit=vp, signed_at=now)
    score = Score.objects.create(criterion=criterion, unit=vp, max_points=60, self_points=50)
    ranking = Ranking.objects.create(
        bloc=bloc, year=year, pledge=pledge, computed_at=now, published_at=now
    )
    RankingEntry.objects.create(
        ranking=ranking, unit=vp, rank=1, total=50, standard_total=50, bonus_total=0,
        penalty_total=0,
    )  # fmt: skip
    meeting = BlocMeeting.objects.create(
        bloc=bloc, year=year, kind="year_end", held_on=dt.date(year, 12, 1), place="Hà Nội",
        host=vp,
    )  # fmt: skip
    acclamation = AcclamationVote.objects.create(
        meeting=meeting, voting_unit=kh, award_code="BK_BO", candidate=vp
    )
    election = ElectionVote.objects.create(
        meeting=meeting, voting_unit=kh, office="leader", candidate=vp
    )
    proposal = AcclamationProposal.objects.create(
        bloc=bloc, year=year, unit=vp, award_code="BK_BO", votes=1, voters=2, meeting=meeting
    )
    bk_bo = AwardType.objects.get(code="BK_BO")
    record = AwardRecord.objects.create(
        person=person, award_type=AwardType.objects.get(code="CSTD_CS"), year=2024
    )
    batch = Batch.objects.create(
        proposing_unit=vp,
        year=2025,
        award_type=bk_bo,
        title="Tờ trình",
        created_by=users["officer"],
    )
    nomination = Nomination.objects.create(
        person=person, award_type=bk_bo, year=2025, proposing_unit=vp, level="ministry",
        batch=batch, created_by=users["officer"],
    )  # fmt: skip
    comment = ReviewComment.objects.create(
        nomination=nomination, section="general", text="Bổ sung", author=users["office"]
    )
    attachment = Attachment(
        nomination=nomination, kind="report", original_name="bao-cao.pdf",
        content_type="application/pdf", size=9, sha256="0" * 64, uploaded_by=users["officer"],
    )  # fmt: skip
    attachment.file.save("bao-cao.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    disclosure = Disclosure.objects.create(
        title="Công khai", year=2025, starts_on=dt.date(2025, 12, 1),
        ends_on=dt.date(2025, 12, 31), published_by=users["office"],
    )  # fmt: skip
    disclosure.nominations.add(nomination)
    objection = Objection.objects.create(
        disclosure=disclosure, nomination=nomination, text="Ý kiến", author=users["viewer"]
    )
    job = Job.objects.create(owner=users["office"], kind="eligibility-export")
    from awards.models import SummaryEdition

    edition = SummaryEdition(year=2024, first_year=2020, edition=1, checksum="0" * 64)
    edition.file.save("tong-ket-2024.xlsx", ContentFile(b"PK"), save=True)
    objects = {
        # the site's pages, by path prefix
        "jobs": job,
        "campaigns": campaign,
        "phases": phase,
        "nominations": nomination,
        "nominations/objections": objection,
        "nominations/files": attachment,
        "nominations/letters": batch,
        "nominations/disclosures": disclosure,
        "initiatives": initiative,
        "disciplines": discipline,
        "meetings": meeting,
        "pledge": pledge,
        "scores": score,
        "reports": edition,
        # the API, by router prefix
        "api:jobs": job,
        "api:units": vp,
        "api:people": person,
        "api:ratings": person_year,
        "api:unit-ratings": unit_rating,
        "api:initiatives": initiative,
        "api:disciplines": discipline,
        "api:blocs": bloc,
        "api:bloc-memberships": membership,
        "api:campaigns": campaign,
        "api:registrations": registration,
        "api:pledges": pledge,
        "api:signatures": signature,
        "api:scores": score,
        "api:rankings": ranking,
        "api:acclamation-votes": acclamation,
        "api:election-votes": election,
        "api:acclamation-proposals": proposal,
        "api:award-types": bk_bo,
        "api:award-records": record,
        "api:nominations": nomination,
        "api:comments": comment,
        # values by parameter name
        "code": vp.code,
        "person_code": person.code,
        "bloc_code": bloc.code,
        "year": year,
        "unit": vp,
        "bloc": bloc,
        "criterion": criterion,
    }
    return World(users, objects)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)


# -- the urlconf, walked ---------------------------------------------------------------------
GROUP = re.compile(r"\(\?P<(\w+)>([^)]*)\)|<(?:\w+:)?(\w+)>")


def _patterns(resolver=None, prefix=""):
    """(full pattern text, callback) of every URL pattern, nested resolvers included."""
    for p in (resolver or get_resolver()).url_patterns:
        text = prefix + str(p.pattern).lstrip("^").rstrip("$")
        if isinstance(p, URLResolver):
            yield from _patterns(p, text)
        elif isinstance(p, URLPattern):
            yield text, p.callback


def _routes():
    """Each routable path once: format-suffix duplicates (``.json``) are the same views."""
    seen = []
    for text, callback in _patterns():
        if "<format>" in text or "(?P<format>" in text or "drf_format_suffix" in text:
            continue
        seen.append((text.replace("\\.", ".").replace("/?", "/"), callback))
    return seen


def _value(name: str, text: str, w: World):
    o = w.objects
    if text.startswith("api/v1/"):
        prefix = text.removeprefix("api/v1/").split("/")[0]
        if name in ("pk", "code"):
            obj = o.get(f"api:{prefix}")
            if obj is None:
                return 1
            return getattr(obj, "code", None) or obj.pk
    if text.startswith("admin/"):
        return _admin_value(name, text)
    if name == "pk":
        for key in (
            "nominations/objections",
            "nominations/files",
            "nominations/letters",
            "nominations/disclosures",
        ):
            if text.startswith(key):
                return o[key].pk
        for key in ("initiatives", "disciplines"):
            if f"/{key}/" in text:
                return o[key].pk
        return o[text.split("/")[0]].pk
    simple = {
        "code": o["person_code"] if text.startswith("people/") else None,
        "bloc_id": o["bloc"].pk,
        "year": o["year"],
        "job_id": o["jobs"].pk,
        "phase_id": o["phases"].pk,
        "pledge_id": o["pledge"].pk,
        "criterion_id": o["criterion"].pk,
        "unit_id": o["unit"].pk,
        "meeting_id": o["meetings"].pk,
        "nomination_id": o["nominations"].pk,
    }
    if name == "code":
        if text.startswith("blocs/"):
            return o["bloc_code"]
        return simple["code"] or o["code"]
    return simple.get(name, 1)


def _admin_value(name: str, text: str):
    parts = text.split("/")
    if name == "app_label":
        return "units"
    if name == "content_type_id":
        return ContentType.objects.get_for_model(Unit).pk
    if name == "object_id":
        if len(parts) > 2 and parts[1] and not parts[1].startswith("("):
            try:
                model = apps.get_model(parts[1], parts[2])
            except (LookupError, ValueError):
                model = Unit
        else:
            model = Unit
        first = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
        return first if first is not None else 1
    return "x"


def _fill(match, text: str, w: World) -> str:
    body = match.group(2) or ""
    if "|" in body and re.fullmatch(r"[\w|]+", body):  # a choice of words, e.g. pdf|docx
        return body.split("|")[0]
    return str(_value(match.group(1) or match.group(3), text, w))


def _path(text: str, w: World) -> str:
    return "/" + GROUP.sub(lambda m: _fill(m, text, w), text)


def _is_api(callback) -> bool:
    cls = getattr(callback, "cls", None)
    return cls is not None and (issubclass(cls, ViewSetMixin) or "api/" in callback.__module__)


def _client(role: str, w: World) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(w.users[role])
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_no_route_answers_5xx(role, world):
    from django.core.cache import cache

    client = _client(role, world)
    failures, seen = [], 0
    for text, _callback in _routes():
        path = _path(text, world)
        try:
            resolve(path)
        except Exception:  # the walk itself must produce routable paths
            failures.append(f"{path}: does not resolve (pattern {text})")
            continue
        api = path.startswith("/api/")
        methods = API_METHODS if api else PAGE_METHODS
        # Lists and year pages take the out-of-range numbers (details ignore query strings).
        listing = api and "<" not in text and "(?P" not in text
        queries = [""] + (BAD_QUERIES if listing or "year" in text else [])
        for method in methods:
            for query in queries if method == "get" else [""]:
                # Throttling is tested on its own; here every request must reach the view.
                cache.clear()
                kwargs = {"content_type": "application/json", "data": "{}"} if api else {}
                if method in ("get", "options") or not api:
                    kwargs = {}
                try:
                    response = getattr(client, method)(path + query, **kwargs)
                except Exception as exc:
                    failures.append(f"{role} {method.upper()} {path}{query}: {exc!r}")
                    continue
                seen += 1
                if response.status_code >= 500:
                    failures.append(
                        f"{role} {method.upper()} {path}{query}: {response.status_code}"
                    )
        if "logout" in path:
            client = _client(role, world)
    assert seen > 500
    assert not failures, "\n".join(failures)
