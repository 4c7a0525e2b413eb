"""Checking dossier files by their content, never by their name.

Accepted: PDF, JPEG, PNG and DOCX, at most ``MAX_BYTES`` (a constant here, not a setting: it
is the dossier rule, 15 MiB per file, the size of a scanned 30-page letter). The stored
name is random (``uuid4`` + the extension of the detected type); the user's file name is
cleaned (no directories, no control characters, NFC), given the detected type's extension
(``baocao.exe`` holding a PDF is shown as ``baocao.pdf``) and kept for display only. A DOCX
is checked through :class:`emulation_portal.uploads.BoundedZip`: refused from its central
directory when it would unpack to too much, then decompressed with a hard cap.
"""

import hashlib
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from emulation_portal.uploads import DOCX_LIMITS, BoundedZip, with_extension

MAX_BYTES = 15 * 1024 * 1024
MAX_NAME = 150
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class CheckedFile:
    content: bytes
    content_type: str
    extension: str
    display_name: str
    sha256: str

    @property
    def size(self) -> int:
        return len(self.content)


def clean_name(name: str | None) -> str:
    """The user's file name made safe to show: last path segment only, control characters
    and reserved characters removed, NFC, at most ``MAX_NAME`` characters."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = name.replace("\\", "/").split("/")[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C" and ch not in '<>:"|?*')
    name = name.strip().lstrip(".").strip()
    if len(name) > MAX_NAME:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: MAX_NAME - len(ext) - 1] + "." + ext) if dot and len(ext) <= 8 else name
        name = name[:MAX_NAME]
    return name or "tep-dinh-kem"


def _corrupt():
    return ValidationError(
        _("The file is damaged or incomplete; save it again and upload the new copy."),
        code="corrupt",
    )


def _sniff(content: bytes) -> tuple[str, str]:
    if content.startswith(b"%PDF-"):
        if b"%%EOF" not in content[-2048:]:
            raise _corrupt()
        return "application/pdf", "pdf"
    if content.startswith(b"\xff\xd8\xff"):
        if b"\xff\xd9" not in content[-64:]:
            raise _corrupt()
        return "image/jpeg", "jpg"
    if content.startswith(PNG_SIGNATURE):
        if b"IEND" not in content[-16:]:
            raise _corrupt()
        return "image/png", "png"
    if content.startswith(b"PK\x03\x04"):
        # Bounded: the central directory is checked before anything is decompressed, then
        # every part is decompressed with a cap (a damaged part is found now, not later).
        with BoundedZip(content, DOCX_LIMITS) as archive:
            if "word/document.xml" not in set(archive.namelist()):
                raise ValidationError(
                    _("Only PDF, JPEG, PNG and Word (DOCX) files are accepted."),
                    code="type",
                )
            archive.verify()
        return (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
        )
    raise ValidationError(_("Only PDF, JPEG, PNG and Word (DOCX) files are accepted."), code="type")


def check_upload(upload) -> CheckedFile:
    """Read and check an uploaded file; raise ``ValidationError`` with the reason."""
    if upload is None:
        raise ValidationError(_("Choose a file."), code="required")
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise ValidationError(
            _("The file is too large (at most %(mb)s MB).") % {"mb": MAX_BYTES // (1024 * 1024)},
            code="size",
        )
    upload.seek(0)
    content = upload.read(MAX_BYTES + 1)
    if not content:
        raise ValidationError(_("The file is empty."), code="empty")
    if len(content) > MAX_BYTES:
        raise ValidationError(
            _("The file is too large (at most %(mb)s MB).") % {"mb": MAX_BYTES // (1024 * 1024)},
            code="size",
        )
    content_type, extension = _sniff(content)
    return CheckedFile(
        content=content,
        content_type=content_type,
        extension=extension,
        display_name=with_extension(clean_name(getattr(upload, "name", "")), extension, MAX_NAME),
        sha256=hashlib.sha256(content).hexdigest(),
    )
