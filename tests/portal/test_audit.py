import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from emulation_portal import audit
from emulation_portal.models import AppendOnlyError, AuditEvent, AuditHead

pytestmark = pytest.mark.django_db


def _events(n=4, actor=None):
    return [
        audit.record(
            actor,
            "test.thing",
            object_type="t",
            object_id=i,
            object_label=f"Đối tượng {i}",
            before={"v": i},
            after={"v": i + 1},
        )
        for i in range(1, n + 1)
    ]


def test_events_form_a_hash_chain(office_user):
    events = _events(3, office_user)
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[1].prev_hash == events[0].hash
    assert events[2].prev_hash == events[1].hash
    assert events[0].actor == office_user
    assert audit.verify_chain() == []
    call_command("verify_audit")


def test_model_refuses_update_and_delete():
    event = _events(1)[0]
    event.action = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


def _raw(sql, params):
    table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(sql.format(table=table), params)


def test_verify_names_an_edited_row(capsys):
    _events(4)
    _raw("UPDATE {table} SET object_label = %s WHERE seq = %s", ["tampered", 2])
    problems = audit.verify_chain()
    assert [p.seq for p in problems] == [2]
    assert "edited" in problems[0].reason
    with pytest.raises(CommandError):
        call_command("verify_audit")
    assert "#2" in capsys.readouterr().err


def test_verify_names_an_edited_json_value():
    _events(3)
    _raw("UPDATE {table} SET after = %s WHERE seq = %s", ['{"v": 999}', 3])
    assert [p.seq for p in audit.verify_chain()] == [3]


def test_verify_names_a_deleted_row(capsys):
    _events(5)
    _raw("DELETE FROM {table} WHERE seq = %s", [3])
    problems = audit.verify_chain()
    assert problems, "a deleted row must be found"
    assert problems[0].seq == 3 and "deleted" in problems[0].reason
    with pytest.raises(CommandError):
        call_command("verify_audit")
    assert "#3" in capsys.readouterr().err


def test_verify_finds_the_last_row_deleted(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the head moves after commit
        _events(3)
    _raw("DELETE FROM {table} WHERE seq = %s", [3])
    problems = audit.verify_chain()
    assert len(problems) == 1 and problems[0].seq == 3
    # The next event keeps the gap visible: it follows the head, not the shortened chain.
    _events(1)
    assert AuditEvent.objects.order_by("-seq").first().seq == 4
    assert [p.seq for p in audit.verify_chain()] == [3, 4]  # the gap, and #4 linking to #3


def test_the_head_is_written_once_per_transaction_after_it_commits(
    django_capture_on_commit_callbacks,
):
    table = AuditHead._meta.db_table
    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        _events(6)
        # Until the commit the head has not moved; the chain's end is read from the
        # events, and nothing has written the head.
        assert AuditHead.objects.get(pk=1).last_seq == 0
        assert not [q for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    writes = [
        q for q in queries.captured_queries if q["sql"].startswith("UPDATE") and table in q["sql"]
    ]
    assert len(callbacks) == 6 and len(writes) == 1
    head = AuditHead.objects.get(pk=1)
    last = AuditEvent.objects.order_by("-seq").first()
    assert (head.last_seq, head.last_hash) == (6, last.hash)
    assert audit.verify_chain() == []


def test_events_rolled_back_with_a_savepoint_leave_no_hole(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _events(2)
        try:
            with transaction.atomic():
                _events(2)
                raise RuntimeError("the service changed its mind")
        except RuntimeError:
            pass
        _events(1)
    assert list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True)) == [1, 2, 3]
    assert AuditHead.objects.get(pk=1).last_seq == 3
    assert audit.verify_chain() == []


def test_a_head_left_behind_is_a_checkpoint(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _events(2)
    _events(3)  # committed, say, but the after-commit write of the head was lost
    assert AuditHead.objects.get(pk=1).last_seq == 2
    assert audit.verify_chain() == []
    # Rewritten with a fresh hash of its own: the next link breaks, and the event is no
    # longer the one the head names.
    forged = AuditEvent.objects.get(seq=2)
    forged.object_label = "sửa"
    _raw(
        "UPDATE {table} SET object_label = %s, hash = %s WHERE seq = %s",
        ["sửa", audit._digest(forged), 2],
    )
    problems = audit.verify_chain()
    assert [(p.seq, p.reason) for p in problems] == [
        (3, "previous-hash link broken (an earlier event changed)"),
        (2, "event differs from the chain head"),
    ]


def test_rewriting_a_row_with_a_fresh_hash_breaks_the_next_link():
    events = _events(3)
    forged = AuditEvent.objects.get(seq=2)
    forged.object_label = "forged"
    forged_hash = audit._digest(forged)
    _raw(
        "UPDATE {table} SET object_label = %s, hash = %s WHERE seq = %s", ["forged", forged_hash, 2]
    )
    problems = audit.verify_chain()
    assert [p.seq for p in problems] == [3]
    assert events[2].prev_hash != forged_hash


def test_admin_is_read_only(admin_account, client):
    _events(1)
    client.force_login(admin_account)
    event = AuditEvent.objects.get()
    assert client.get("/admin/emulation_portal/auditevent/").status_code == 200
    assert client.get("/admin/emulation_portal/auditevent/add/").status_code == 403
    response = client.post(
        f"/admin/emulation_portal/auditevent/{event.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 403
    assert AuditEvent.objects.count() == 1


def test_office_reads_the_audit_log_in_admin_but_not_accounts(client, office_user):
    _events(1)
    client.force_login(office_user)
    assert client.get("/admin/emulation_portal/auditevent/").status_code == 200
    assert client.get("/admin/emulation_portal/user/").status_code == 403


def test_apply_changes_audits_only_real_changes(office_user, viewer_user):
    assert not audit.apply_changes(office_user, "user.update", viewer_user, ["full_name"], {})
    assert not AuditEvent.objects.exists()
    assert audit.apply_changes(
        office_user, "user.update", viewer_user, ["full_name"], {"full_name": "Đỗ Thị Hà"}
    )
    event = AuditEvent.objects.get()
    assert event.after == {"full_name": "Đỗ Thị Hà"} and event.before != event.after
    with pytest.raises(TypeError):
        audit.apply_changes(office_user, "user.update", viewer_user, ["full_name"], {"role": "x"})
