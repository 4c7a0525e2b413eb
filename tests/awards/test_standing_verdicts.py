"""Standing verdicts: a pass (one process or fanned out in chunks) stores exactly what the
engine says; changes of facts re-judge their subjects after commit, once per subject; the
list page, its totals, the panels and the letter builder read the table."""

import pytest
from django.db import OperationalError, transaction
from django.urls import reverse

from awards import eligibility, selectors, tasks, verdict_store
from awards.models import DirtySubject, StoredVerdict, VerdictPass, VerdictTally
from emulation_portal.celery import app as celery_app
from emulation_portal.models import Role
from tests.awards.factories import (
    PersonFactory,
    UnitFactory,
    award,
    bloc_member,
    discipline,
    rate,
    rate_unit,
)
from units import services as unit_services
from units.models import Person, PersonYear, UnitOfficer

pytestmark = pytest.mark.django_db

YEAR = 2024
URL = "/awards/eligibility/"


def engine(year=YEAR):
    return {
        (v.subject_type, v.subject_id, v.award_code, v.eligible) for v in eligibility.judge(year)
    }


def stored(year=YEAR):
    return {
        (
            "person" if r.person_id else "unit",
            r.person_id or r.unit_id,
            r.award_type.code,
            r.eligible,
        )
        for r in StoredVerdict.objects.filter(year=year).select_related("award_type")
    }


@pytest.fixture
def world(db):
    """Two units, a dozen people with mixed histories (ratings, awards, discipline)."""
    vp = UnitFactory(code="VP", name="Văn phòng Bộ")
    xa = UnitFactory(code="XA", name="Vụ Pháp chế")
    rate_unit(vp, {2023: "HTTNV", YEAR: "HTXSNV"})
    bloc_member(vp, YEAR, role="leader")
    people = []
    for i in range(12):
        p = PersonFactory(code=f"S{i:03d}", full_name=f"Người {i}", unit=vp if i % 3 else xa)
        rate(p, {2022: "HTXSNV", 2023: "HTXSNV", YEAR: ["HTXSNV", "HTTNV", "HTNV"][i % 3]})
        if i % 4 == 0:
            award(p, "CSTD_CS", 2023)
        if i == 5:
            discipline(p, __import__("datetime").date(YEAR, 3, 1))
        people.append(p)
    return {"vp": vp, "xa": xa, "people": people}


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Ask for a pass and run everything sent after commit (eager Celery: the chord runs
    in this process)."""

    def go(year=YEAR, actor=None):
        # The test's transaction never commits: the changes made before (the fixtures) sit
        # in an after-commit callback that never runs; later changes start their own.
        transaction.get_connection().__dict__.pop("_standing_dirty", None)
        with django_capture_on_commit_callbacks(execute=True):
            p = verdict_store.request_pass(actor, year)
        p.refresh_from_db()
        return p

    return go


class TestPass:
    def test_pass_stores_exactly_the_engine_verdicts(self, world, run):
        p = run()
        assert p.state == VerdictPass.State.DONE and p.finished_at
        assert p.chunks_done == p.chunks_total == 2  # one people chunk, one unit chunk
        assert p.subjects == 14
        assert stored() == engine() and len(stored()) > 0

    def test_fan_out_in_small_chunks_equals_one_process(self, world, run, monkeypatch):
        monkeypatch.setattr(verdict_store, "PEOPLE_CHUNK", 3)
        monkeypatch.setattr(verdict_store, "UNIT_CHUNK", 1)
        p = run()
        assert p.chunks_total >= 6 and p.chunks_done == p.chunks_total
        fanned = stored()
        StoredVerdict.objects.all().delete()
        one = VerdictPass.objects.create(year=YEAR, rule_set=p.rule_set)
        verdict_store.run_pass_inline(one.pk, people_chunk=10**9, unit_chunk=10**9)
        assert stored() == fanned == engine()

    def test_a_failed_chunk_is_retried_alone(self, world, run, monkeypatch):
        monkeypatch.setattr(verdict_store, "PEOPLE_CHUNK", 4)
        calls = []
        real = verdict_store.judge_chunk

        def flaky(pass_id, chunk):
            calls.append(chunk.get("lo", "units"))
            if chunk.get("lo") == world["people"][4].pk and calls.count(chunk["lo"]) == 1:
                raise OperationalError("connection lost")
            return real(pass_id, chunk)

        monkeypatch.setattr(verdict_store, "judge_chunk", flaky)
        # Eager Celery re-applies a retrying task only when errors do not propagate (as a
        # worker does); with propagation on it raises the Retry instead.
        previous = celery_app.conf.task_eager_propagates
        celery_app.conf.task_eager_propagates = False
        try:
            p = run()
        finally:
            celery_app.conf.task_eager_propagates = previous
        assert p.state == VerdictPass.State.DONE
        failing = world["people"][4].pk
        assert calls.count(failing) == 2
        assert all(calls.count(c) == 1 for c in calls if c != failing)
        assert stored() == engine()

    def test_requests_coalesce_onto_the_waiting_pass(self, world):
        first = verdict_store.request_pass(None, YEAR)
        assert verdict_store.request_pass(None, YEAR) == first
        assert VerdictPass.objects.count() == 1

    def test_a_second_pass_waits_for_the_running_one(self, world, run):
        running = VerdictPass.objects.create(
            year=YEAR, rule_set=eligibility.rule_set_for(YEAR), state="running"
        )
        waiting = VerdictPass.objects.create(year=YEAR, rule_set=running.rule_set)
        assert verdict_store.begin_pass(waiting.pk) is None
        waiting.refresh_from_db()
        assert waiting.state == VerdictPass.State.PENDING

    def test_year_without_rule_set_is_refused(self, world):
        with pytest.raises(Exception, match="2019"):
            verdict_store.request_pass(None, 2019)


class TestKeptCurrent:
    def test_a_rating_change_rejudges_the_person_and_their_unit(
        self, world, run, office_user, django_capture_on_commit_callbacks
    ):
        run()
        p = world["people"][2]  # HTNV in 2024: not LDTT
        assert (("person", p.pk, "LDTT", False)) in stored()
        with django_capture_on_commit_callbacks(execute=True):
            unit_services.set_person_year(office_user, person=p, year=YEAR, rating="HTXSNV")
        assert ("person", p.pk, "LDTT", True) in stored()
        assert stored() == engine()
        assert not DirtySubject.objects.exists()
        vp_tally = VerdictTally.objects.get(
            year=YEAR, award_type__code="LDTT", is_unit=False, scope_unit_id=p.unit_id
        )
        assert (
            vp_tally.eligible
            == StoredVerdict.objects.filter(
                year=YEAR, award_type__code="LDTT", eligible=True, scope_unit_id=p.unit_id
            ).count()
        )

    @pytest.mark.parametrize("change", ["award", "discipline", "move", "unit_rating"])
    def test_each_kind_of_fact_is_taken_in(
        self, world, run, change, django_capture_on_commit_callbacks
    ):
        run()
        p = world["people"][1]
        with django_capture_on_commit_callbacks(execute=True):
            if change == "award":
                award(p, "CSTD_CS", 2022)
                award(p, "LDTT", YEAR, kind="dot_xuat")
            elif change == "discipline":
                discipline(p, __import__("datetime").date(YEAR, 6, 1))
            elif change == "move":
                Person.objects.filter(pk=p.pk).update(unit=world["xa"])
                p.refresh_from_db()
                p.save()
            else:
                rate_unit(world["xa"], {2023: "HTXSNV", YEAR: "HTXSNV"})
        assert stored() == engine()
        if change == "move":
            rows = StoredVerdict.objects.filter(year=YEAR, person=p)
            assert {r.scope_unit_id for r in rows} == {world["xa"].pk}

    def test_many_changes_in_one_transaction_mark_each_subject_once(
        self, world, run, monkeypatch, django_capture_on_commit_callbacks
    ):
        run()
        sent = []
        monkeypatch.setattr(verdict_store, "enqueue", lambda task, *a: sent.append(task.name))
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            for p in world["people"]:
                for y in (2022, 2023, YEAR):
                    PersonYear.objects.filter(person=p, year=y).update(rating="HTTNV")
                    py = PersonYear.objects.get(person=p, year=y)
                    py.save()
        assert sent == ["awards.drain_verdicts"]
        assert DirtySubject.objects.filter(person__isnull=False).count() == 12

    def test_a_rolled_back_change_marks_nothing(
        self, world, run, django_capture_on_commit_callbacks
    ):
        run()
        with django_capture_on_commit_callbacks(execute=True):
            try:
                with transaction.atomic():
                    rate(world["people"][0], {YEAR: "HTNV"})
                    raise RuntimeError
            except RuntimeError:
                pass
            rate(world["people"][1], {YEAR: "HTNV"})
        # the second transaction still flushes (its own callback), the first left nothing
        assert stored() == engine()

    def test_nothing_is_marked_while_no_year_is_stored(
        self, world, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            rate(world["people"][0], {YEAR: "HTNV"})
        assert not DirtySubject.objects.exists()

    def test_an_import_asks_for_a_pass_of_each_stored_year(self, world, run):
        from units.signals import facts_imported

        run()
        facts_imported.send(sender=None, actor=None, counts={})
        assert VerdictPass.objects.filter(
            year=YEAR, state="pending", trigger=VerdictPass.Trigger.IMPORT
        ).exists()

    def test_nightly_redoes_the_stored_years(self, world, run):
        run()
        tasks.nightly_verdicts()
        assert VerdictPass.objects.filter(year=YEAR, state="pending", trigger="nightly").exists()


class TestPages:
    def test_list_reads_the_table_and_says_when(self, office_client, world, run):
        run()
        StoredVerdict.objects.filter(code="S001", award_type__code="LDTT").update(
            name="Từ bảng lưu"
        )
        r = office_client.get(URL, {"year": YEAR, "award": "LDTT"})
        html = r.content.decode()
        assert r.context["stored"] is True
        assert "Từ bảng lưu" in html
        assert "Kết quả xét được tính lúc" in html
        assert r.context["total"] == 12
        assert r.context["eligible"] == sum(
            1 for s in engine() if s[0] == "person" and s[2] == "LDTT" and s[3]
        )

    def test_first_view_judges_live_and_asks_for_a_pass(self, office_client, world):
        r = office_client.get(URL, {"year": YEAR, "award": "LDTT"})
        assert r.context["stored"] is False and r.context["total"] == 12
        assert VerdictPass.objects.filter(year=YEAR, trigger="first_view").exists()
        assert "Có một lượt xét đang chờ chạy" in r.content.decode()

    @pytest.mark.parametrize("n", [1, 40])
    def test_list_queries_do_not_grow_with_people(
        self, office_client, world, run, n, django_assert_num_queries
    ):
        unit = world["vp"]
        Person.objects.bulk_create(
            Person(code=f"Q{i:04d}", full_name=f"Q {i}", gender="M", unit=unit) for i in range(n)
        )
        run()
        office_client.get(URL, {"year": YEAR})  # session, caches warm
        # 12: two for the rows' nomination status (award records, live nominations)
        with django_assert_num_queries(12) as q:
            r = office_client.get(URL, {"year": YEAR})
        assert r.context["stored"] and len(r.context["verdicts"]) == 50
        tables = [x["sql"] for x in q.captured_queries if "awards_storedverdict" in x["sql"]]
        assert len(tables) == 1

    def test_officer_sees_only_their_scope_and_its_totals(self, client, make_user, world, run):
        officer = make_user(Role.UNIT_OFFICER, username="donvi")
        UnitOfficer.objects.create(user=officer, unit=world["xa"])
        run()
        client.force_login(officer)
        r = client.get(URL, {"year": YEAR, "award": "LDTT"})
        codes = {v.code for v in r.context["verdicts"]}
        assert codes == {"S000", "S003", "S006", "S009"}
        assert r.context["total"] == 4
        r = client.get(URL, {"year": YEAR, "subject": "unit"})
        assert {v.code for v in r.context["verdicts"]} == {"XA"}

    def test_reasons_are_worked_out_for_one_subject_on_demand(self, office_client, world, run):
        run()
        url = reverse("awards:eligibility-why", args=["person", "S000"])
        r = office_client.get(url, {"year": YEAR, "award": "LDTT"}, HTTP_HX_REQUEST="true")
        html = r.content.decode()
        assert r.status_code == 200 and "Căn cứ pháp lý" in html and "<html" not in html
        page = office_client.get(url, {"year": YEAR, "award": "LDTT"}).content.decode()
        assert "<html" in page and "Căn cứ pháp lý" in page
        assert "Chọn năm" in office_client.get(url, {"year": "abc"}).content.decode()
        assert (
            office_client.get(reverse("awards:eligibility-why", args=["unit", "NOPE"])).status_code
            == 404
        )

    def test_reasons_outside_scope_are_refused(self, client, make_user, world, run):
        officer = make_user(Role.UNIT_OFFICER, username="donvi")
        UnitOfficer.objects.create(user=officer, unit=world["xa"])
        client.force_login(officer)
        url = reverse("awards:eligibility-why", args=["person", "S001"])  # in VP
        assert client.get(url, {"year": YEAR}).status_code == 403

    def test_office_button_asks_for_a_pass_others_are_refused(
        self, client, office_client, make_user, world
    ):
        r = office_client.post(reverse("awards:eligibility-recompute"), {"year": YEAR})
        assert r.status_code == 302
        assert VerdictPass.objects.filter(year=YEAR, trigger="manual").count() == 1
        r = office_client.post(reverse("awards:eligibility-recompute"), {"year": "x"})
        assert r.status_code == 302 and VerdictPass.objects.count() == 1
        officer = make_user(Role.UNIT_OFFICER, username="donvi")
        client.force_login(officer)
        assert (
            client.post(reverse("awards:eligibility-recompute"), {"year": YEAR}).status_code == 403
        )

    def test_panel_reads_the_table_in_constant_queries(
        self, office_client, world, run, django_assert_max_num_queries
    ):
        from units.panels import person_panels

        run()
        person = world["people"][0]
        request = office_client.get(f"/people/{person.code}/").wsgi_request
        request.GET = request.GET.copy()
        request.GET["eligibility_year"] = str(YEAR)
        StoredVerdict.objects.filter(person=person, award_type__code="LDTT").update(eligible=False)
        html = office_client.get(f"/people/{person.code}/?eligibility_year={YEAR}").content.decode()
        assert (
            "LDTT" in html
            and reverse("awards:eligibility-why", args=["person", person.code]) in html
        )
        with django_assert_max_num_queries(12) as few:
            person_panels(request, person)
        for y in range(2015, 2022):
            award(person, "GK", y)
        with django_assert_max_num_queries(len(few.captured_queries)):
            person_panels(request, person)

    def test_letter_builder_reads_the_table(self, world, run, make_user):
        from awards.models import AwardType
        from awards.nominations import services

        office = make_user(Role.OFFICE, username="vanphong")
        run()
        ldtt = AwardType.objects.get(code="LDTT")
        wanted = world["people"][2]  # HTNV: the engine says no
        StoredVerdict.objects.filter(person=wanted, award_type=ldtt).update(eligible=True)
        result = services.build_batch(
            office, proposing_unit=world["vp"], award_type=ldtt, year=YEAR
        )
        ids = set(result.batch.nominations.values_list("person_id", flat=True))
        assert wanted.pk in ids
        assert ids == set(selectors.stored_eligible_people(YEAR, ldtt, [world["vp"].pk]))
