"""Text helpers shared by every app."""

import unicodedata


def fold(text: str | None) -> str:
    """Accent-free, lower-case form for search: "Nguyễn Thị Ánh" -> "nguyen thi anh",
    and "đ"/"Đ" -> "d" (a separate letter, not a combining mark, so it needs its own rule)."""
    if not text:
        return ""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


def nfc(text: str | None) -> str:
    return unicodedata.normalize("NFC", text) if text else ""
