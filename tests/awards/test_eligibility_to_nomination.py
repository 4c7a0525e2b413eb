# ruff: noqa: F811  (pytest fixtures imported from test_standing_verdicts)
"""From the eligibility list to a nomination: each row says eligible / already awarded /
nomination open / not eligible (in a constant number of queries); "Propose" on the row and
on the person page opens the form filled in; selected rows build a submission letter; the
form finds the person by name or code, accents and case aside."""

import pytest
from django.urls import reverse
from django.utils import translation

from awards.models import AwardType, Nomination, StoredVerdict
from awards.nominations import services
from awards.nominations.forms import NominationCreateForm
from emulation_portal.models import Role
from tests.awards.factories import award
from tests.awards.test_standing_verdicts import YEAR, run, world  # noqa: F401  (fixtures)
from units.models import Person, Unit, UnitOfficer
from units.services import person_search_text

pytestmark = pytest.mark.django_db

URL = "/awards/eligibility/"


def _eligible(world, n=3):
    """The first ``n`` people the standing table says are eligible for LDTT."""
    ids = StoredVerdict.objects.filter(
        year=YEAR, award_type__code="LDTT", eligible=True, person__isnull=False
    ).values_list("person_id", flat=True)
    people = list(Person.objects.filter(pk__in=ids).order_by("pk"))
    assert len(people) >= n
    return people[:n]


def _statuses(response):
    return {v.code: v.status for v in response.context["verdicts"]}


@pytest.fixture
def office(make_user):
    return make_user(Role.OFFICE, username="vanphong")


def _nominate(office, person):
    ldtt = AwardType.objects.get(code="LDTT")
    return services.create_nomination(
        office, award_type=ldtt, year=YEAR, proposing_unit=person.unit, person=person
    )


class TestRowStatus:
    def test_each_row_says_where_it_stands(self, client, office, world, run):
        run()
        held, nominated, free = _eligible(world)
        award(held, "LDTT", YEAR)
        _nominate(office, nominated)
        client.force_login(office)
        r = client.get(URL, {"year": YEAR, "award": "LDTT"})
        status = _statuses(r)
        assert status[held.code] == "awarded"
        assert status[nominated.code] == "open"
        assert status[free.code] == "eligible"
        assert "not_eligible" in status.values()
        html = r.content.decode()
        assert "đã được khen" in html and "đang có hồ sơ đề nghị" in html
        create = reverse("nominations:create")
        assert f"{create}?person={free.code}&amp;award=LDTT&amp;year={YEAR}" in html
        assert f"?person={held.code}&amp;" not in html
        assert f"?person={nominated.code}&amp;" not in html

    def test_a_withdrawn_nomination_leaves_the_row_eligible(
        self,
        client,
        office,
        world,
        run,
    ):
        run()
        (person,) = _eligible(world, 1)
        n = _nominate(office, person)
        Nomination.objects.filter(pk=n.pk).update(state="withdrawn")
        client.force_login(office)
        r = client.get(URL, {"year": YEAR, "award": "LDTT"})
        assert _statuses(r)[person.code] == "eligible"

    @pytest.mark.parametrize("n", [1, 30])
    def test_status_queries_do_not_grow_with_rows(
        self,
        client,
        office,
        world,
        run,
        n,
        django_assert_num_queries,
    ):
        vp = world["vp"]
        extra = Person.objects.bulk_create(
            Person(code=f"Q{i:04d}", full_name=f"Q {i}", gender="M", unit=vp) for i in range(n)
        )
        run()
        for p in extra:
            award(p, "LDTT", YEAR)
        client.force_login(office)
        client.get(URL, {"year": YEAR, "award": "LDTT"})  # session, caches warm
        with django_assert_num_queries(13) as q:
            r = client.get(URL, {"year": YEAR, "award": "LDTT"})
        assert len(r.context["verdicts"]) == 12 + n
        assert _statuses(r)[extra[-1].code] == "awarded"
        for table in ("awards_awardrecord", "awards_nomination"):
            assert sum(table in x["sql"] for x in q.captured_queries) == 1, table


class TestPropose:
    def test_officer_follows_propose_to_a_filled_form(self, client, make_user, world, run):
        officer = make_user(Role.UNIT_OFFICER, username="donvi")
        UnitOfficer.objects.create(user=officer, unit=world["vp"])
        run()
        client.force_login(officer)
        r = client.get(URL, {"year": YEAR, "award": "LDTT"})
        person = next(v for v in r.context["verdicts"] if v.status == "eligible")
        url = f"{reverse('nominations:create')}?person={person.code}&award=LDTT&year={YEAR}"
        assert url.replace("&", "&amp;") in r.content.decode()
        form = client.get(url).context["form"]
        assert form.initial["person_code"] == person.code
        assert form.initial["award_type"] == AwardType.objects.get(code="LDTT").pk
        assert form.initial["year"] == YEAR
        assert form.initial["proposing_unit"] == world["vp"].pk
        r = client.post(
            reverse("nominations:create"),
            {
                "person_code": person.code,
                "award_type": form.initial["award_type"],
                "kind": "cong_trang",
                "year": YEAR,
                "proposing_unit": world["vp"].pk,
            },
        )
        assert r.status_code == 302
        assert Nomination.objects.filter(person__code=person.code, year=YEAR).exists()

    def test_person_page_offers_propose_to_the_officer_only(
        self,
        client,
        make_user,
        world,
        run,
    ):
        run()
        (person,) = _eligible(world, 1)
        link = f"{reverse('nominations:create')}?person={person.code}&amp;award=LDTT"
        page = f"/people/{person.code}/?eligibility_year={YEAR}"
        officer = make_user(Role.UNIT_OFFICER, username="donvi")
        UnitOfficer.objects.create(user=officer, unit=person.unit)
        client.force_login(officer)
        assert link in client.get(page).content.decode()
        viewer = make_user(Role.VIEWER, username="xem")
        client.force_login(viewer)
        r = client.get(page)
        assert r.status_code == 200 and link not in r.content.decode()

    def test_no_propose_link_for_a_viewer_on_the_list(self, client, make_user, world, run):
        run()
        viewer = make_user(Role.VIEWER, username="xem")
        client.force_login(viewer)
        r = client.get(URL, {"year": YEAR, "award": "LDTT"})
        if r.status_code == 200:
            assert reverse("nominations:create") not in r.content.decode()


class TestLetterFromSelection:
    def test_selected_rows_build_the_letter(self, client, office, world, run):
        run()
        picked = _eligible(world, 2)
        not_eligible = StoredVerdict.objects.filter(
            year=YEAR, award_type__code="LDTT", eligible=False, person__isnull=False
        ).first()
        client.force_login(office)
        r = client.get(URL, {"year": YEAR, "award": "LDTT"})
        html = r.content.decode()
        assert 'id="letter-form"' in html
        assert f'name="people" value="{picked[0].pk}"' in html
        assert f'name="people" value="{not_eligible.person_id}"' not in html
        ldtt = AwardType.objects.get(code="LDTT")
        ids = [p.pk for p in picked] + [not_eligible.person_id]
        r = client.get(
            reverse("nominations:batch-create"),
            {"year": YEAR, "award_type": ldtt.pk, "people": ids},
        )
        form = r.context["form"]
        assert form["people"].value() == ",".join(map(str, ids))
        r = client.post(
            reverse("nominations:batch-create"),
            {
                "proposing_unit": world["vp"].pk,
                "award_type": ldtt.pk,
                "year": YEAR,
                "people": ",".join(map(str, ids)),
            },
        )
        assert r.status_code == 302
        batch_ids = set(
            Nomination.objects.filter(batch__isnull=False).values_list("person_id", flat=True)
        )
        vp_picked = {p.pk for p in picked if p.unit_id == world["vp"].pk}
        assert batch_ids == vp_picked

    def test_a_tampered_selection_is_refused_with_a_message(self, client, office, world):
        client.force_login(office)
        ldtt = AwardType.objects.get(code="LDTT")
        r = client.post(
            reverse("nominations:batch-create"),
            {
                "proposing_unit": world["vp"].pk,
                "award_type": ldtt.pk,
                "year": YEAR,
                "people": "1,x",
            },
        )
        assert r.status_code == 200
        assert "Danh sách đã chọn không hợp lệ" in r.content.decode()


class TestPersonLookup:
    @staticmethod
    def _index():
        """The registry's services fill ``search_text``; the factories do not."""
        for p in Person.objects.all():
            Person.objects.filter(pk=p.pk).update(search_text=person_search_text(p))

    def _form(self, text):
        self._index()
        ldtt = AwardType.objects.get(code="LDTT")
        return NominationCreateForm(
            {
                "person_code": text,
                "award_type": ldtt.pk,
                "kind": "cong_trang",
                "year": YEAR,
                "proposing_unit": Unit.objects.get(code="VP").pk,
            },
            units=Unit.objects.all(),
            people=Person.objects.all(),
        )

    @pytest.mark.parametrize("text", ["tran thi hoa", "TRẦN thị Hoa", "p001", "hoa p001"])
    def test_by_name_or_code_accent_and_case_free(self, person, text):
        form = self._form(text)
        assert form.is_valid(), form.errors
        assert form.cleaned_data["person"] == person

    def test_none_and_several_say_so(self, person, unit):
        from tests.awards.factories import PersonFactory

        PersonFactory(code="P002", full_name="Trần Văn Hoà", unit=unit)
        with translation.override("vi"):
            none = self._form("nguyen van z")
            assert not none.is_valid()
            assert "Không có ai khớp với “nguyen van z”" in str(none.errors["person_code"])
            several = self._form("tran hoa")
            assert not several.is_valid()
            text = str(several.errors["person_code"])
            assert "Nhiều người khớp" in text and "P001" in text and "P002" in text

    def test_officer_cannot_find_people_outside_their_scope(self, client, make_user, person):
        from tests.awards.factories import UnitFactory

        other = UnitFactory(code="XB", name="Vụ khác")
        officer = make_user(Role.UNIT_OFFICER, username="donvi")
        UnitOfficer.objects.create(user=officer, unit=other)
        client.force_login(officer)
        self._index()
        ldtt = AwardType.objects.get(code="LDTT")
        r = client.post(
            reverse("nominations:create"),
            {
                "person_code": "tran thi hoa",
                "award_type": ldtt.pk,
                "kind": "cong_trang",
                "year": YEAR,
                "proposing_unit": other.pk,
            },
        )
        assert r.status_code == 200 and not Nomination.objects.exists()
        assert "Không có ai khớp" in r.content.decode()
