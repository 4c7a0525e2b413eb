"""Position level per person-year (codes.md "Position levels"): the import's optional
``position_level`` column (unknown codes refused, nothing written), the export and its
round trip, the rating grid, the person page with the fallback, and the API field and
filter."""

import csv

import pytest
from django.urls import reverse

from emulation_portal.models import AuditEvent
from tests.awards.factories import PersonFactory, UnitFactory, rate
from units import services
from units.exchange import export_folder, import_data
from units.models import PersonYear


@pytest.fixture
def people(db):
    vp = UnitFactory(code="VP", name="Văn phòng")
    manager = PersonFactory(code="M1", unit=vp, is_manager=True, full_name="Trần Văn Quản")
    worker = PersonFactory(code="W1", unit=vp, full_name="Lê Thị Làm", gender="F")
    rate(manager, {2025: "HTTNV"})
    rate(worker, {2025: "HTTNV"})
    return {"vp": vp, "manager": manager, "worker": worker}


def write(path, rows):
    path.mkdir(exist_ok=True)
    with (path / "ratings.csv").open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


HEADER = ["subject_type", "subject_code", "year", "rating", "unit_code", "position_level"]


def level(person, year=2025):
    return PersonYear.objects.get(person=person, year=year).position_level


def test_import_sets_levels_and_refuses_unknown_codes(people, tmp_path):
    bad = write(
        tmp_path / "bad",
        [
            HEADER,
            ["person", "M1", "2025", "HTTNV", "VP", "QUAN_LY"],
            ["person", "W1", "2025", "HTTNV", "VP", "NHAN_VIEN"],
            ["unit", "VP", "2025", "HTTNV", "", "TRUC_TIEP"],
        ],
    )
    result = import_data(None, bad)
    assert not result.ok
    errors = {(e.row, e.column): e.message for e in result.errors}
    assert set(errors) == {(3, "position_level"), (4, "position_level")}
    assert "NHAN_VIEN" in errors[(3, "position_level")]
    assert level(people["manager"]) == ""  # nothing written
    good = write(
        tmp_path / "good",
        [
            HEADER,
            ["person", "M1", "2025", "HTTNV", "VP", "LANH_DAO_VU"],
            ["person", "W1", "2025", "HTTNV", "VP", ""],
        ],
    )
    assert import_data(None, good).ok
    assert (level(people["manager"]), level(people["worker"])) == ("LANH_DAO_VU", "")


def test_without_the_column_the_recorded_level_stays(people, tmp_path):
    PersonYear.objects.filter(person=people["manager"]).update(position_level="LANH_DAO_VU")
    folder = write(
        tmp_path / "in",
        [HEADER[:5], ["person", "M1", "2025", "HTXSNV", "VP"]],
    )
    assert import_data(None, folder).ok
    py = PersonYear.objects.get(person=people["manager"], year=2025)
    assert (py.rating, py.position_level) == ("HTXSNV", "LANH_DAO_VU")


def test_export_writes_the_level_and_reimports_unchanged(people, tmp_path):
    PersonYear.objects.filter(person=people["worker"]).update(position_level="TRUC_TIEP")
    export_folder(tmp_path / "out")
    rows = list(csv.DictReader((tmp_path / "out" / "ratings.csv").open(encoding="utf-8")))
    assert {r["subject_code"]: r["position_level"] for r in rows} == {"M1": "", "W1": "TRUC_TIEP"}
    events = AuditEvent.objects.count()
    result = import_data(None, tmp_path / "out")
    assert result.ok and result.counts["ratings"].get("updated", 0) == 0
    assert AuditEvent.objects.count() - events <= 1  # the import's own summary event only


def test_rating_grid_sets_levels(people, client, office_user):
    client.force_login(office_user)
    url = reverse("units:rating-grid", args=["VP", 2025])
    m, w = people["manager"], people["worker"]
    assert f'name="l{m.pk}"' in client.get(url).content.decode()
    response = client.post(
        url, {f"p{m.pk}": "HTTNV", f"l{m.pk}": "QUAN_LY", f"p{w.pk}": "HTTNV", f"l{w.pk}": ""}
    )
    assert response.status_code == 302
    assert (level(m), level(w)) == ("QUAN_LY", "")
    response = client.post(url, {f"p{m.pk}": "HTTNV", f"l{m.pk}": "BOGUS"})
    assert response.status_code == 200 and level(m) == "QUAN_LY"


def test_person_page_shows_the_level_or_the_fallback(people, client, office_user):
    client.force_login(office_user)
    PersonYear.objects.filter(person=people["worker"]).update(position_level="DOANH_NHAN")
    with_level = client.get(reverse("units:person-detail", args=["W1"])).content.decode()
    fallback = client.get(reverse("units:person-detail", args=["M1"])).content.decode()
    from django.utils.translation import gettext as _

    assert str(_("State company manager")) in with_level
    assert str(_("Other manager")) in fallback  # is_manager without a level


def test_service_refuses_unknown_level(people):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        services.set_person_year(None, person=people["worker"], year=2025, position_level="X")
    assert "position_level" in exc.value.message_dict


def test_api_field_and_counted_level_filter(people, client, office_user):
    client.force_login(office_user)
    py = PersonYear.objects.get(person=people["worker"], year=2025)
    response = client.patch(
        f"/api/v1/ratings/{py.pk}/",
        {"position_level": "TRUC_TIEP"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["position_level"] == "TRUC_TIEP"
    codes = [
        r["person"]
        for r in client.get("/api/v1/ratings/", {"position_level": "QUAN_LY"}).json()["results"]
    ]
    assert codes == ["M1"]  # no recorded level: the manager flag counts
    bad = client.get("/api/v1/ratings/", {"position_level": "BOSS"})
    assert bad.status_code == 400 and "position_level" in bad.json()
