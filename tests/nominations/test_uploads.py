"""Dossier files: checked by content, size-limited, safely named, served only to readers."""

import os

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from awards.models import Attachment
from awards.nominations import services, uploads
from emulation_portal.models import Role
from tests.nominations import factories as f
from tests.nominations.conftest import upload


@pytest.fixture
def draft(world):
    return services.create_nomination(
        world.officer,
        award_type=f.award_type("BK_BO"),
        year=f.YEAR,
        proposing_unit=world.vp,
        person=world.person,
    )


@pytest.mark.parametrize(
    ("content", "name", "kind"),
    [
        (f.PDF, "to-trinh.pdf", "application/pdf"),
        (f.JPEG, "anh.jpg", "image/jpeg"),
        (f.PNG, "anh.png", "image/png"),
        (f.docx_bytes(), "bao-cao.docx", "wordprocessingml"),
        (f.PDF, "renamed.txt", "application/pdf"),  # by content, not by name
    ],
)
def test_accepted_types_by_content(world, draft, content, name, kind):
    att = services.add_attachment(world.officer, draft, upload(content, name), kind="evidence")
    assert kind in att.content_type
    assert att.size == len(content)
    assert att.file.name.startswith("nominations/") and name not in att.file.name


@pytest.mark.parametrize(
    ("content", "name", "code"),
    [
        (b"", "empty.pdf", "empty"),
        (b"MZ\x90\x00 this is an exe", "virus.pdf", "type"),
        (b"<html><script>alert(1)</script></html>", "page.pdf", "type"),
        (b"%PDF-1.4\n1 0 obj<<>>endobj\n", "truncated.pdf", "corrupt"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 40, "cut.jpg", "corrupt"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "cut.png", "corrupt"),
        (b"PK\x03\x04garbage-not-a-zip", "broken.docx", "corrupt"),
        (f.docx_bytes(with_document=False), "sheet.docx", "type"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_stored(world, draft, content, name, code, settings):
    with pytest.raises(ValidationError) as exc:
        services.add_attachment(world.officer, draft, upload(content, name), kind="evidence")
    assert exc.value.code == code
    assert not Attachment.objects.exists()
    media = os.path.join(settings.MEDIA_ROOT, "nominations")
    assert not os.path.isdir(media) or not os.listdir(media)


def test_size_limit(world, draft, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_BYTES", 100)
    big = f.PDF[:-7] + b"x" * 200 + b"\n%%EOF\n"
    with pytest.raises(ValidationError) as exc:
        services.add_attachment(world.officer, draft, upload(big, "big.pdf"), kind="evidence")
    assert exc.value.code == "size"
    assert not Attachment.objects.exists()


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("../../etc/passwd", "passwd.pdf"),
        ("..\\..\\windows\\win.ini", "win.pdf"),
        ("bi\x00en\x07 ban\r\n.pdf", "bien ban.pdf"),
        ("....", "tep-dinh-kem.pdf"),
        ("Tờ trình số 05.pdf", "Tờ trình số 05.pdf"),
        # the shown name's extension follows the detected type, never the user's
        ("baocao.exe", "baocao.pdf"),
        ("baocao.pdf.exe", "baocao.pdf"),
        ("Báo cáo v1.2", "Báo cáo v1.2.pdf"),
        ("scan.PDF", "scan.PDF"),
    ],
)
def test_hostile_names_are_stored_safely(world, draft, name, shown, settings):
    att = services.add_attachment(world.officer, draft, upload(f.PDF, name), kind="evidence")
    assert att.original_name == shown
    stored = os.path.realpath(att.file.path)
    assert stored.startswith(os.path.realpath(settings.MEDIA_ROOT) + os.sep)
    assert os.path.basename(stored).endswith(".pdf") and ".." not in att.file.name


def test_files_only_through_the_permission_checked_view(world, draft, client, make_user):
    att = services.add_attachment(world.officer, draft, upload(f.PDF, "a.pdf"), kind="evidence")
    url = reverse("nominations:download", args=[att.pk])
    client.force_login(world.officer)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == f.PDF
    assert "attachment" in response["Content-Disposition"]
    for outsider in (world.other_officer, make_user(Role.VIEWER), make_user(Role.COUNCIL)):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
    # no public URL: MEDIA_URL is not served
    client.force_login(world.office)
    assert client.get("/media/" + att.file.name).status_code == 404


def test_upload_page_keeps_the_user_on_the_page_with_the_reason(world, draft, client):
    client.force_login(world.officer)
    response = client.post(
        reverse("nominations:upload", args=[draft.pk]),
        {"kind": "evidence", "file": upload(b"GIF89a....", "x.gif")},
        follow=True,
    )
    assert response.status_code == 200
    assert "PDF, JPEG, PNG" in response.content.decode() or "DOCX" in response.content.decode()
    assert not Attachment.objects.exists()


# -- bounded checks (issue 11) ----------------------------------------------------------------
def _no_file_stored(settings):
    media = os.path.join(settings.MEDIA_ROOT, "nominations")
    return not os.path.isdir(media) or not os.listdir(media)


@pytest.mark.parametrize("same_name", [True, False])
def test_docx_listing_one_member_many_times_is_refused_unopened(
    world, draft, settings, monkeypatch, same_name
):
    import zipfile

    from tests.portal import hostile

    bomb = hostile.repeated_entry_docx(same_name=same_name)  # ~80 KB, 1000 x 16 MiB listed
    opened = []
    original = zipfile.ZipFile.open
    monkeypatch.setattr(
        zipfile.ZipFile,
        "open",
        lambda self, name, mode="r", *a, **k: (
            opened.append(name) or original(self, name, mode, *a, **k)
        ),
    )
    with pytest.raises(ValidationError) as exc:
        services.add_attachment(world.officer, draft, upload(bomb, "bao-cao.docx"), kind="evidence")
    assert exc.value.code == "archive_limit"
    assert "Tệp bị từ chối mà không được mở" in exc.value.messages[0]
    assert opened == []  # not one member decompressed
    assert not Attachment.objects.exists() and _no_file_stored(settings)


def test_docx_ratio_bomb_and_lying_sizes_are_refused(world, draft, settings):
    from tests.portal import hostile

    ratio_bomb = hostile.docx_bytes(b"a" * (20 * hostile.MiB))
    lying = hostile.lying_size_docx()
    for content, code in ((ratio_bomb, "archive_limit"), (lying, "corrupt")):
        with pytest.raises(ValidationError) as exc:
            services.add_attachment(
                world.officer, draft, upload(content, "x.docx"), kind="evidence"
            )
        assert exc.value.code == code
    assert not Attachment.objects.exists() and _no_file_stored(settings)


def test_the_file_is_checked_before_the_nomination_is_locked(world, draft, monkeypatch):
    """A slow check must not hold the row lock others editing the dossier wait on."""
    from django.db import connection

    from awards.nominations.services import files

    order = []
    depth = len(connection.atomic_blocks)
    check, lock = uploads.check_upload, files._lock

    def checking(upload_):
        order.append(("check", len(connection.atomic_blocks)))
        return check(upload_)

    def locking(n):
        order.append(("lock", len(connection.atomic_blocks)))
        return lock(n)

    monkeypatch.setattr(uploads, "check_upload", checking)
    monkeypatch.setattr(files, "_lock", locking)
    services.add_attachment(world.officer, draft, upload(f.PDF, "a.pdf"), kind="evidence")
    assert [step for step, _ in order] == ["check", "lock"]
    assert order[0][1] == depth  # checked outside any transaction the service opened
    assert order[1][1] == depth + 1


def test_a_pdf_named_exe_is_shown_and_served_as_pdf(world, draft, client):
    att = services.add_attachment(
        world.officer, draft, upload(f.PDF, "baocao.exe"), kind="evidence"
    )
    assert att.original_name == "baocao.pdf" and att.file.name.endswith(".pdf")
    client.force_login(world.officer)
    response = client.get(reverse("nominations:download", args=[att.pk]))
    assert (
        "baocao.pdf" in response["Content-Disposition"]
        and ".exe" not in response["Content-Disposition"]
    )
