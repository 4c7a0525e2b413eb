"""Award records: the service, the ``awards`` import sheet (all-or-nothing, idempotent,
export then import is a no-op), initiative uses, verdict snapshots and quotas."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from awards import eligibility, services
from awards.models import AwardRecord, AwardType, EligibilityVerdict, Rule, RuleSet
from emulation_portal.models import AuditEvent
from tests.awards.factories import PersonFactory, award, initiative, rate
from units import exchange

pytestmark = pytest.mark.django_db

HEADER = "subject_type,subject_code,year,award_code,kind,decision_number,decision_date\n"


def write(tmp_path, body: str):
    folder = tmp_path / "data"
    folder.mkdir(exist_ok=True)
    (folder / "awards.csv").write_text(HEADER + body, encoding="utf-8")
    return folder


class TestRecordService:
    def test_create_update_unchanged_with_audit(self, person, office_user):
        bk = AwardType.objects.get(code="BK_BO")
        rec, outcome = services.record_award(office_user, subject=person, award_type=bk, year=2024)
        assert outcome == "created"
        again, outcome = services.record_award(
            office_user, subject=person, award_type=bk, year=2024
        )
        assert (again.pk, outcome) == (rec.pk, "unchanged")
        _rec, outcome = services.record_award(
            office_user,
            subject=person,
            award_type=bk,
            year=2024,
            decision_number="05/QĐ-BNNMT",
            decision_date=datetime.date(2025, 2, 5),
        )
        assert outcome == "updated"
        actions = list(
            AuditEvent.objects.filter(object_type="awards.awardrecord")
            .order_by("seq")
            .values_list("action", flat=True)
        )
        assert actions == ["award_record.create", "award_record.update"]

    def test_title_for_the_wrong_subject_is_refused(self, unit, office_user):
        with pytest.raises(ValidationError, match="LDTT"):
            services.record_award(
                office_user, subject=unit, award_type=AwardType.objects.get(code="LDTT"), year=2024
            )
        assert not AwardRecord.objects.exists()

    def test_database_refuses_two_subjects_or_none(self, person, unit):
        ldtt = AwardType.objects.get(code="GK")
        with pytest.raises(IntegrityError), transaction.atomic():
            AwardRecord.objects.create(person=person, unit=unit, award_type=ldtt, year=2024)
        with pytest.raises(IntegrityError), transaction.atomic():
            AwardRecord.objects.create(award_type=ldtt, year=2024)

    def test_database_refuses_a_duplicate_natural_key(self, person):
        award(person, "LDTT", 2024)
        with pytest.raises(IntegrityError), transaction.atomic():
            award(person, "LDTT", 2024)
        award(person, "LDTT", 2024, kind="dot_xuat")  # another kind is another record


class TestImportSheet:
    def test_import_then_reimport_changes_nothing(self, tmp_path, person, unit, office_user):
        folder = write(
            tmp_path,
            (
                "person,P001,2023,CSTD_CS,,12/QĐ-BTNMT,2024-01-10\n"
                "person,P001,2023,BK_BO,dot_xuat,,\n"
                "unit,VP,2023,TTLDXS,cong_trang,,\n"
            ),
        )
        result = exchange.import_data(office_user, folder)
        assert result.ok, result.errors
        assert result.counts["awards"] == {"created": 3, "updated": 0, "unchanged": 0}
        rec = AwardRecord.objects.get(person=person, award_type__code="CSTD_CS")
        assert (rec.kind, rec.decision_number, rec.decision_date, rec.source) == (
            "cong_trang",
            "12/QĐ-BTNMT",
            datetime.date(2024, 1, 10),
            "import",
        )
        again = exchange.import_data(office_user, folder)
        assert again.counts["awards"] == {"created": 0, "updated": 0, "unchanged": 3}
        assert AwardRecord.objects.count() == 3

    def test_export_then_import_is_a_no_op(self, tmp_path, person, unit, office_user):
        award(person, "LDTT", 2024, decision_number="7/QĐ", decision_date=datetime.date(2025, 1, 3))
        award(unit, "TTLDTT", 2024)
        out = tmp_path / "export"
        exchange.export_folder(out)
        text = (out / "awards.csv").read_text(encoding="utf-8")
        assert "person,P001,2024,LDTT,cong_trang,7/QĐ,2025-01-03" in text
        result = exchange.import_data(office_user, out)
        assert result.ok, result.errors
        assert result.counts["awards"]["created"] == 0
        assert result.counts["awards"]["updated"] == 0

    def test_every_faulty_row_is_reported_and_nothing_written(self, tmp_path, person, office_user):
        folder = write(
            tmp_path,
            (
                "person,P001,2024,LDTT,,,\n"
                "person,NOPE,2024,LDTT,,,\n"
                "unit,VP,2024,LDTT,,,\n"
                "robot,P001,2024,LDTT,,,\n"
                "person,P001,20x4,XYZ,weird,,2024-13-40\n"
            ),
        )
        with translation.override("en"):
            result = exchange.import_data(office_user, folder)
        assert not result.ok
        found = {(e.row, e.column) for e in result.errors}
        assert {
            (3, "subject_code"),
            (4, "award_code"),
            (5, "subject_type"),
            (6, "year"),
            (6, "award_code"),
            (6, "kind"),
            (6, "decision_date"),
        } <= found
        assert not AwardRecord.objects.exists()

    def test_errors_in_vietnamese_by_default(self, tmp_path, person, office_user):
        folder = write(tmp_path, "person,NOPE,2024,LDTT,,,\n")
        result = exchange.import_data(office_user, folder)
        assert "Không có cá nhân nào mang mã “NOPE”" in str(result.errors[0])


class TestInitiativeUse:
    def test_one_initiative_one_reward(self, person, office_user):
        ini = initiative(person, 2024, "BO", title="Bản đồ số")
        cs, bo = AwardType.objects.get(code="CSTD_CS"), AwardType.objects.get(code="CSTD_BO")
        services.use_initiatives(office_user, initiatives=[ini], award_type=cs, year=2024)
        services.use_initiatives(office_user, initiatives=[ini], award_type=cs, year=2024)
        with translation.override("en"), pytest.raises(ValidationError, match="Bản đồ số"):
            services.use_initiatives(office_user, initiatives=[ini], award_type=bo, year=2024)
        assert ini.use.award_type == cs


class TestVerdictSnapshots:
    def test_recorded_verdict_survives_a_rule_change(self, person, office_user):
        rate(person, {2024: "HTXSNV"})
        verdicts = eligibility.judge_subject(2024, person, ["CSTD_CS"])
        (row,) = services.record_verdicts(office_user, verdicts)
        rule = Rule.objects.get(rule_set__code="LTDKT-2022", award_type__code="CSTD_CS")
        rule.condition = {"manual": "changed"}
        services.save_rule(office_user, rule)
        (now,) = eligibility.judge_subject(2024, person, ["CSTD_CS"])
        assert not now.eligible
        row = EligibilityVerdict.objects.get(pk=row.pk)
        assert row.eligible and row.rule_set.code == "LTDKT-2022"
        assert row.condition != rule.condition
        with translation.override("vi"):
            assert any("HTXSNV" in r for r in services.recorded_reasons(row))
        with translation.override("en"):
            assert any("Legal basis" in r for r in services.recorded_reasons(row))

    def test_snapshot_is_plain_json(self, person):
        rate(person, {2024: "HTTNV"})
        (v,) = eligibility.judge_subject(2024, person, ["LDTT"])
        snap = services.verdict_snapshot(v)
        assert snap["eligible"] and snap["rule_set"] == "LTDKT-2022"
        assert all(set(r) == {"msg", "params", "ok"} for r in snap["reasons"])


class TestQuota:
    def _people(self, unit, n_ldtt, n_cstd):
        for i in range(n_ldtt):
            p = PersonFactory(unit=unit)
            rate(p, {2024: "HTXSNV" if i < n_cstd else "HTTNV"})

    def test_off_in_ltdkt_2022(self, unit):
        self._people(unit, 10, 5)
        assert services.quota_cap(year=2024, award_code="CSTD_CS", unit=unit) is None
        services.check_quota(year=2024, award_code="CSTD_CS", unit=unit, proposed=5)

    def test_enforced_when_switched_on(self, unit, admin_account):
        self._people(unit, 20, 5)
        rule = Rule.objects.get(rule_set__code="LTDKT-2022", award_type__code="CSTD_CS")
        rule.quota_enabled = True
        services.save_rule(admin_account, rule)
        assert services.quota_cap(year=2024, award_code="CSTD_CS", unit=unit) == 3  # 15% of 20
        services.check_quota(year=2024, award_code="CSTD_CS", unit=unit, proposed=3)
        with pytest.raises(ValidationError):
            services.check_quota(year=2024, award_code="CSTD_CS", unit=unit, proposed=4)


class TestCatalogueAndRuleSets:
    def test_fresh_database_holds_the_catalogue_and_ltdkt_2022(self):
        codes = set(AwardType.objects.values_list("code", flat=True))
        assert codes == {
            "LDTT",
            "CSTD_CS",
            "CSTD_BO",
            "CSTD_TQ",
            "TTLDTT",
            "TTLDXS",
            "CO_BO",
            "CO_CP",
            "GK",
            "BK_BO",
            "BK_TTG",
            "HCLD3",
            "HCLD2",
            "HCLD1",
            "KNC",
        }
        rs = RuleSet.objects.get(code="LTDKT-2022")
        assert rs.effective_from == datetime.date(2024, 1, 1)
        assert {r.award_type.code for r in rs.rules.all()} == codes
        assert not rs.rules.filter(quota_enabled=True).exists()
        assert AwardType.objects.get(code="CSTD_BO").council_vote
        assert (
            str(Rule.objects.get(rule_set=rs, award_type__code="CSTD_TQ").vote_threshold) == "0.900"
        )
        assert AwardType.objects.get(code="CO_CP").multiplier_unit == 12
        assert AwardType.objects.get(code="LDTT").category == "title"
        assert AwardType.objects.get(code="BK_BO").category == "form"

    def test_every_seeded_condition_is_valid(self):
        for rule in Rule.objects.all():
            rule.full_clean()

    @pytest.mark.parametrize(
        "condition, fragment",
        [
            ({"rating_at_least": "GOOD", "years": 1}, "rating_at_least"),
            ({"consecutive": {"award": "NOPE", "years": 3}}, "NOPE"),
            ({"members_share": {"award": "LDTT", "share": 1.5}}, "share"),
            ({"all": []}, "$.all"),
            ({"whatever": 1}, "unknown condition"),
            ({"rating_at_least": "HTTNV", "years": 1, "extra": 2}, "extra"),
        ],
    )
    def test_invalid_conditions_are_refused_with_a_clear_message(self, condition, fragment):
        rule = Rule.objects.get(rule_set__code="LTDKT-2022", award_type__code="LDTT")
        rule.condition = condition
        with translation.override("en"), pytest.raises(ValidationError) as exc:
            rule.full_clean()
        assert fragment in str(exc.value)

    def test_eligible_for_loop_is_refused(self):
        rule = Rule.objects.get(rule_set__code="LTDKT-2022", award_type__code="LDTT")
        rule.condition = {"eligible_for": "CSTD_CS"}  # CSTD_CS already needs LDTT
        with translation.override("en"), pytest.raises(ValidationError, match="loop"):
            rule.full_clean()

    def test_overlapping_rule_sets_are_refused(self, admin_account):
        rs = RuleSet(
            code="X", name="X", effective_from=datetime.date(2025, 1, 1), legal_reference="x"
        )
        with pytest.raises(ValidationError):
            services.save_rule_set(admin_account, rs)
        assert not RuleSet.objects.filter(code="X").exists()

    def test_base_salary_in_force(self):
        from awards.models import BaseSalary

        assert BaseSalary.in_force(datetime.date(2025, 1, 1)).amount == 2_340_000
        assert BaseSalary.in_force(datetime.date(2024, 6, 30)).amount == 1_800_000


class TestAdmin:
    def test_invalid_condition_gets_a_clear_error_and_changes_nothing(self, client, admin_account):
        client.force_login(admin_account)
        rule = Rule.objects.get(rule_set__code="LTDKT-2022", award_type__code="LDTT")
        before = rule.condition
        url = f"/admin/awards/rule/{rule.pk}/change/"
        form = client.get(url).context["adminform"].form
        data = {k: v for k, v in form.initial.items() if v is not None}
        data.update(
            rule_set=rule.rule_set_id,
            award_type=rule.award_type_id,
            condition='{"rating_at_least": "GOOD", "years": 1}',
        )
        r = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
        assert r.status_code == 200
        assert "rating_at_least" in r.content.decode()
        assert r.context["adminform"].form.errors["condition"]
        rule.refresh_from_db()
        assert rule.condition == before

    def test_office_cannot_edit_rules_in_admin(self, client, office_user):
        client.force_login(office_user)
        rule = Rule.objects.get(rule_set__code="LTDKT-2022", award_type__code="LDTT")
        r = client.post(f"/admin/awards/rule/{rule.pk}/change/", {"legal_reference": "x"})
        assert r.status_code == 403
        rule.refresh_from_db()
        assert rule.legal_reference != "x"


def test_a_service_refusal_in_admin_is_a_message_and_changes_nothing(
    client, admin_account, monkeypatch
):
    from awards.admin import AwardTypeAdmin

    def refuse(actor, obj):
        raise ValidationError("Loại khen thưởng đang được dùng trong một quyết định.")

    monkeypatch.setattr(AwardTypeAdmin, "save_service", staticmethod(refuse))
    client.force_login(admin_account)
    award_type = AwardType.objects.get(code="LDTT")
    url = f"/admin/awards/awardtype/{award_type.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and v != ""}
    data["name_en"] = "Changed"
    r = client.post(url, data, follow=True)
    assert r.status_code == 200
    assert "đang được dùng trong một quyết định" in r.content.decode()
    award_type.refresh_from_db()
    assert award_type.name_en != "Changed"
