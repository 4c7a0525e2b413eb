"""Cutting the chain's tail: found by the head, by the event ``record`` leaves when the head
is gone, and by an anchor kept outside the database (``verify_audit --expect SEQ:HASH``)."""

import logging

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from emulation_portal import audit
from emulation_portal.models import AuditEvent, AuditHead

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(django_capture_on_commit_callbacks):
    """Five committed events, the head on the last one."""
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(1, 6):
            audit.record(None, "test.thing", object_type="t", object_id=i, object_label=f"Số {i}")
    assert AuditHead.objects.get(pk=1).last_seq == 5
    return list(AuditEvent.objects.order_by("seq"))


def _raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(
            sql.format(events=AuditEvent._meta.db_table, head=AuditHead._meta.db_table), params
        )


def _verify(*expect):
    """verify_audit's exit: (ok, stdout, stderr)."""
    from io import StringIO

    out, err = StringIO(), StringIO()
    args = [arg for anchor in expect for arg in ("--expect", anchor)]
    try:
        call_command("verify_audit", *args, stdout=out, stderr=err)
    except CommandError as error:
        err.write(str(error))
        return False, out.getvalue(), err.getvalue()
    return True, out.getvalue(), err.getvalue()


def _anchor_printed(stdout):
    (line,) = [line for line in stdout.splitlines() if line.startswith("anchor ")]
    return line.removeprefix("anchor ")


def test_an_intact_chain_prints_its_end_as_the_anchor(chain, caplog):
    with caplog.at_level(logging.INFO, logger="emulation_portal.audit"):
        ok, out, _ = _verify()
    assert ok
    assert _anchor_printed(out) == f"5:{chain[-1].hash}"
    assert f"audit anchor 5:{chain[-1].hash}" in caplog.text  # a copy in the log


def test_the_tail_deleted_with_the_head_is_tampering(chain):
    _raw("DELETE FROM {events} WHERE seq >= 4")
    _raw("DELETE FROM {head}")
    problems = audit.verify_chain()
    assert [p.seq for p in problems] == [4]
    assert "head is deleted" in problems[0].reason
    ok, _, err = _verify()
    assert not ok and "#4" in err and "head" in err


def test_the_tail_deleted_with_the_head_intact_is_tampering(chain):
    _raw("DELETE FROM {events} WHERE seq >= 4")
    ok, _, err = _verify()
    assert not ok and "#4-#5" in err


def test_a_head_deleted_then_re_created_by_the_next_append_stays_visible(
    chain, django_capture_on_commit_callbacks
):
    _raw("DELETE FROM {events} WHERE seq >= 4")
    _raw("DELETE FROM {head}")
    with django_capture_on_commit_callbacks(execute=True):
        event = audit.record(None, "test.after", object_type="t", object_label="sau")
    # The append goes on (the portal keeps working) after an event marking the cut.
    marker = AuditEvent.objects.get(seq=4)
    assert marker.action == audit.HEAD_RECREATED and marker.object_label == "#3"
    assert event.seq == 5 and event.prev_hash == marker.hash
    assert AuditHead.objects.get(pk=1).last_seq == 5
    problems = audit.verify_chain()
    assert [p.seq for p in problems] == [4]
    assert "re-created" in problems[0].reason
    assert not _verify()[0]


def test_the_first_append_creates_the_head_without_a_marker():
    _raw("DELETE FROM {head}")
    event = audit.record(None, "test.first", object_type="t")
    assert event.seq == 1
    assert not AuditEvent.objects.filter(action=audit.HEAD_RECREATED).exists()
    assert audit.verify_chain() == []


def test_a_correct_anchor_passes(chain):
    earlier = f"3:{chain[2].hash}"
    ok, out, _ = _verify(earlier, f"5:{chain[4].hash}")
    assert ok
    assert f"anchor {earlier} matches" in out


def test_an_anchor_whose_event_was_cut_with_a_rewritten_head_fails(chain):
    # The cut the head cannot show: the tail deleted and the head moved back to match.
    anchor = _anchor_printed(_verify()[1])
    _raw("DELETE FROM {events} WHERE seq >= 4")
    _raw("UPDATE {head} SET last_seq = 3, last_hash = %s", [chain[2].hash])
    assert audit.verify_chain() == []  # only the anchor can tell
    ok, _, err = _verify(anchor)
    assert not ok
    assert "#5: the event of the anchor kept is deleted" in err


def test_an_anchor_whose_event_was_altered_fails(chain):
    anchor = f"3:{chain[2].hash}"
    forged = AuditEvent.objects.get(seq=3)
    forged.object_label = "sửa"
    _raw(
        "UPDATE {events} SET object_label = %s, hash = %s WHERE seq = 3",
        ["sửa", audit._digest(forged)],
    )
    ok, _, err = _verify(anchor)
    assert not ok
    assert "#3: event differs from the anchor kept" in err


def test_a_whole_chain_replaced_fails_its_anchor(chain):
    # Everything deleted and a shorter, self-consistent chain written in its place.
    anchor = f"5:{chain[4].hash}"
    _raw("DELETE FROM {events}")
    _raw("UPDATE {head} SET last_seq = 0, last_hash = ''")
    audit.record(None, "test.fake", object_type="t")
    assert audit.verify_chain() == []
    ok, _, err = _verify(anchor)
    assert not ok and "#5" in err


@pytest.mark.parametrize("text", ["", "5", "x:abc", "0:" + "a" * 64, "5:" + "g" * 64, "5:abc"])
def test_a_malformed_anchor_is_refused_by_name(chain, text):
    ok, _, err = _verify(text)
    assert not ok and "not an anchor" in err


def test_an_anchor_is_read_in_either_case(chain):
    assert _verify(f"5:{chain[4].hash.upper()}")[0]


def test_the_audit_extract_pdf_prints_the_anchor_to_file(chain):
    import io

    from django.utils import timezone
    from pypdf import PdfReader

    from emulation_portal import services
    from emulation_portal.models import Job

    class Reporter:
        def progress(self, *args, **kwargs):
            pass

    today = timezone.localdate().isoformat()
    job = Job(kind="audit_pdf", params={"start": today, "end": today})
    _, pdf = services.render_audit_extract(job, Reporter())
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    printed = "".join(text.split())  # the hash may wrap
    assert f"5:{chain[-1].hash}" in printed
    assert _verify(f"5:{chain[-1].hash}")[0]  # what was printed is what --expect takes
