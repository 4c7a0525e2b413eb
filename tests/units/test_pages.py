"""Pages: the tree, unit and person pages, the rating grid, blocs, import with preview."""

import csv
import io

from django.urls import reverse

from emulation_portal.models import AuditEvent, Role
from tests.units.factories import make_bloc
from units import panels, services
from units.models import BlocMembership, Person, PersonYear, Unit


def test_main_pages_in_vietnamese(client, office_user, tree):
    client.force_login(office_user)
    response = client.get(reverse("units:person-list"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Nguyễn Thị Ánh" in text
    assert "Tìm kiếm" in text and "xếp loại gần nhất" in text  # "Search", "last rating"
    response = client.get(reverse("units:unit-tree"))
    assert "Văn phòng Bộ" in response.content.decode()


def test_unit_tree_is_well_nested(client, office_user, officer, tree):
    from tests.units.factories import make_unit

    make_unit("P2", "Phòng Tổng hợp", parent=tree["vp"])
    make_unit("P11", "Tổ Văn thư", parent=tree["p1"])
    for user in (office_user, officer):
        client.force_login(user)
        text = client.get(reverse("units:unit-tree")).content.decode()
        main = text[text.index("<main") : text.index("</main>")]
        assert main.count("<ul") == main.count("</ul>") and main.count("<li") == main.count("</li>")
        assert (
            main.index("Phòng Hành chính") < main.index("Tổ Văn thư") < main.index("Phòng Tổng hợp")
        )
    assert "Vụ Tổ chức cán bộ" not in main  # the officer's tree is their subtree


def test_people_search_without_accents(client, viewer_user, tree):
    client.force_login(viewer_user)
    text = client.get(reverse("units:person-list"), {"q": "nguyen thi anh"}).content.decode()
    assert "Nguyễn Thị Ánh" in text and "Đặng Văn Đức" not in text
    text = client.get(reverse("units:person-list"), {"q": "dang duc"}).content.decode()
    assert "Đặng Văn Đức" in text
    text = client.get(reverse("units:unit-tree"), {"q": "van phong"}).content.decode()
    assert "Văn phòng Bộ" in text and "Tổ chức" not in text


def test_people_list_filtered_by_unit_subtree(client, viewer_user, tree):
    client.force_login(viewer_user)
    text = client.get(reverse("units:person-list"), {"unit": "VP"}).content.decode()
    assert "Nguyễn Thị Ánh" in text and "Đặng Văn Đức" in text and "Trần Minh Hoà" not in text


def test_unit_and_person_pages(client, viewer_user, tree):
    services.set_person_year(None, person=tree["people"]["vp"], year=2024, rating="HTXSNV")
    services.add_initiative(
        None, person=tree["people"]["vp"], year=2024, title="Số hoá hồ sơ", scope="BO"
    )
    bloc = make_bloc("KHOI_II", name="Khối thi đua số II")
    services.add_bloc_member(None, bloc=bloc, year=2024, unit=tree["vp"], role="leader")
    client.force_login(viewer_user)
    text = client.get(reverse("units:unit-detail", args=["VP"])).content.decode()
    assert "Phòng Hành chính" in text and "Khối thi đua số II" in text
    text = client.get(reverse("units:person-detail", args=["NV1"])).content.decode()
    assert "Số hoá hồ sơ" in text and "2024" in text
    text = client.get(reverse("units:bloc-list"), {"year": 2024}).content.decode()
    assert "Văn phòng Bộ" in text
    text = client.get(reverse("units:bloc-detail", args=["KHOI_II"])).content.decode()
    assert "Văn phòng Bộ" in text


def test_panels_from_other_apps_show_on_pages(client, viewer_user, tree):
    other = tree["tccb"]
    panels.register_person_panel(
        "t",
        1,
        lambda request, p: ("units/_unit_links.html", {"units": [other]}),
    )
    panels.register_unit_panel("t", 1, lambda request, u: None)
    try:
        client.force_login(viewer_user)
        text = client.get(reverse("units:person-detail", args=["NV1"])).content.decode()
        assert 'data-panel="t"' in text and "Vụ Tổ chức cán bộ" in text
        assert client.get(reverse("units:unit-detail", args=["VP"])).status_code == 200
    finally:
        panels._PERSON.pop("t")
        panels._UNIT.pop("t")


def test_officer_rates_own_unit_in_one_go(client, officer, tree):
    client.force_login(officer)
    url = reverse("units:rating-grid", args=["VP", 2024])
    assert "Nguyễn Thị Ánh" in client.get(url).content.decode()
    nv1 = tree["people"]["vp"]
    response = client.post(url, {f"p{nv1.pk}": "HTTNV"})
    assert response.status_code == 302
    assert PersonYear.objects.get(person=nv1, year=2024).rating == "HTTNV"
    assert AuditEvent.objects.filter(action="person.rate").count() == 1


def test_office_creates_person_and_bad_input_is_kept(client, office_user, tree):
    client.force_login(office_user)
    data = {
        "code": "NV9",
        "full_name": "Lê Thị Mai",
        "gender": "F",
        "birth_date": "2090-01-01",
        "position": "Chuyên viên",
        "unit": tree["vp"].pk,
    }
    response = client.post(reverse("units:person-create"), data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Lê Thị Mai" in text  # the input is kept
    assert not Person.objects.filter(code="NV9").exists()
    data["birth_date"] = "1990-01-01"
    response = client.post(reverse("units:person-create"), data)
    assert response.status_code == 302
    assert Person.objects.get(code="NV9").search_text == "le thi mai nv9"


def test_office_edits_unit_cycle_refused_with_message(client, office_user, tree):
    client.force_login(office_user)
    unit = tree["vp"]
    data = {
        "code": "VP",
        "name": "Văn phòng Bộ",
        "short_name": "",
        "kind": "VAN_PHONG",
        "parent": tree["p1"].pk,
        "active_from": "",
        "active_to": "",
        "successor": "",
    }
    response = client.post(reverse("units:unit-edit", args=["VP"]), data)
    assert response.status_code == 200
    assert Unit.objects.get(pk=unit.pk).parent_id == tree["bo"].pk


def test_bloc_pages_office_writes(client, office_user, tree):
    bloc = make_bloc("KHOI_I")
    client.force_login(office_user)
    url = reverse("units:bloc-member-add", args=["KHOI_I"])
    client.post(url, {"year": 2024, "unit": tree["vp"].pk, "role": "leader"})
    client.post(url, {"year": 2024, "unit": tree["tccb"].pk, "role": "leader"})  # refused
    assert list(BlocMembership.objects.values_list("unit__code", "role")) == [("VP", "leader")]
    client.post(reverse("units:bloc-carry-forward", args=["KHOI_I"]), {"year": 2024})
    assert BlocMembership.objects.get(bloc=bloc, year=2025).role == "member"


def _csv_upload(name, rows):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    upload = io.BytesIO(buffer.getvalue().encode())
    upload.name = name
    return upload


def _preview(client, rows, capture):
    """Upload one people sheet; the preview job runs (eagerly) after commit."""
    from emulation_portal.models import Job

    with capture(execute=True):
        response = client.post(
            reverse("units:import"), {"files": [_csv_upload("people.csv", rows)]}
        )
    job = Job.objects.filter(kind="units_import_preview").latest("pk")
    assert response.status_code == 302 and response.url == reverse("job-detail", args=[job.pk])
    assert job.state == Job.State.SUCCESS
    page = client.get(reverse("job-detail", args=[job.pk])).content.decode()
    assert reverse("units:import-preview", args=[job.pk]) in page  # the job page links on
    return client.get(reverse("units:import-preview", args=[job.pk]))


def test_import_preview_then_confirm(client, office_user, tree, django_capture_on_commit_callbacks):
    from emulation_portal.models import Job

    client.force_login(office_user)
    rows = [["code", "full_name", "gender", "unit_code"], ["NV8", "Phạm Thu Trang", "F", "P1"]]
    response = _preview(client, rows, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert response.context["result"]["counts"]["people"]["created"] == 1
    token = response.context["token"]
    assert token and not Person.objects.filter(code="NV8").exists()  # preview writes nothing
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("units:import-confirm"), {"token": token})
    job = Job.objects.get(kind="units_import")
    assert response.status_code == 302 and response.url == reverse("job-detail", args=[job.pk])
    assert job.state == Job.State.SUCCESS and "1" in job.message
    assert Person.objects.get(code="NV8").unit.code == "P1"
    # the token is spent: a second confirmation starts nothing
    response = client.post(reverse("units:import-confirm"), {"token": token})
    assert response.url == reverse("units:import")
    assert Job.objects.filter(kind="units_import").count() == 1


def test_import_preview_is_only_its_owners(
    client, office_user, make_user, tree, django_capture_on_commit_callbacks
):
    from emulation_portal.models import Job, Role

    client.force_login(office_user)
    rows = [["code", "full_name", "gender", "unit_code"], ["NV8", "Phạm Thu Trang", "F", "P1"]]
    _preview(client, rows, django_capture_on_commit_callbacks)
    job = Job.objects.get(kind="units_import_preview")
    client.force_login(make_user(Role.OFFICE, username="thidua2"))
    assert client.get(reverse("units:import-preview", args=[job.pk])).status_code == 404
    response = client.post(reverse("units:import-confirm"), {"token": job.params["token"]})
    assert response.url == reverse("units:import")
    assert not Job.objects.filter(kind="units_import").exists()


def test_confirmed_import_that_became_wrong_writes_nothing(
    client, office_user, tree, django_capture_on_commit_callbacks
):
    from emulation_portal.models import Job

    client.force_login(office_user)
    rows = [["code", "full_name", "gender", "unit_code"], ["NV8", "Phạm Thu Trang", "F", "P1"]]
    token = _preview(client, rows, django_capture_on_commit_callbacks).context["token"]
    services.update_unit(None, tree["p1"], code="P1X")  # the data changed after the preview
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("units:import-confirm"), {"token": token})
    job = Job.objects.get(kind="units_import")
    assert not Person.objects.filter(code="NV8").exists()
    with job.result_file.open("rb") as fh:
        assert "unit_code" in fh.read().decode("utf-8-sig")


def test_import_preview_lists_errors_and_offers_no_confirm(
    client, office_user, tree, django_capture_on_commit_callbacks
):
    client.force_login(office_user)
    rows = [["code", "full_name", "gender", "unit_code"], ["NV8", "Phạm Thu Trang", "F", "XX"]]
    response = _preview(client, rows, django_capture_on_commit_callbacks)
    assert response.context["token"] is None
    text = response.content.decode()
    assert "people" in text and "unit_code" in text and "XX" in text
    assert "import-confirm" not in text and reverse("units:import-confirm") not in text
    assert not Person.objects.filter(code="NV8").exists()


def test_export_job_makes_an_xlsx(client, office_user, tree, django_capture_on_commit_callbacks):
    from emulation_portal.models import Job

    client.force_login(office_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("units:export"))
    job = Job.objects.get(owner=office_user)
    assert response.status_code == 302 and response.url == reverse("job-detail", args=[job.pk])
    assert job.state == Job.State.SUCCESS
    with job.result_file.open("rb") as fh:
        assert fh.read(2) == b"PK"


def test_nav_shows_entries_by_role(client, make_user, tree):
    from emulation_portal.nav import items_for

    keys = {i["key"] for i in items_for(make_user(Role.OFFICE))}
    assert {"units", "people", "blocs", "exchange"} <= keys
    keys = {i["key"] for i in items_for(make_user(Role.VIEWER))}
    assert {"units", "people", "blocs"} <= keys and "exchange" not in keys
