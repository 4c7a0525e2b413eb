"""One description of an administrative paper (NĐ 30/2020) that both the PDF template and
the Word writer read, so the two copies hold the same text.

A paper is a header (issuing body, number line, place and date), a document type and
subject, and a list of blocks: headings, paragraphs, tables and signature blocks."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Block:
    kind: str  # "heading" | "para" | "line" | "table" | "signatures" | "recipients" | "page"
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)  # table: the first row is the head
    widths: list[int] = field(default_factory=list)  # table: relative column widths
    signers: list[dict] = field(default_factory=list)  # signatures: {"lines": [..], "name": ..}
    items: list[str] = field(default_factory=list)  # recipients
    italic: bool = False
    bold: bool = False
    center: bool = False


@dataclass
class Paper:
    issuing_body: str
    issuer_sub: str
    number_line: str
    place_date: str
    doc_type: str
    subject: str
    blocks: list[Block]
    title: str = ""
    addressee: str = ""  # "Kính gửi: ..."

    def text_lines(self) -> list[str]:
        """Every printed line of text in reading order (what the tests compare between the
        PDF and the Word copy)."""
        out = [self.issuing_body, self.issuer_sub, self.number_line, self.place_date]
        out += [self.doc_type, self.subject, self.addressee]
        for b in self.blocks:
            if b.kind == "table":
                out += [cell for row in b.rows for cell in row]
            elif b.kind == "signatures":
                for s in b.signers:
                    out += [*s.get("lines", []), s.get("name", "")]
            elif b.kind == "recipients":
                out += b.items
            else:
                out.append(b.text)
        return [x for x in out if x]


def heading(text: str) -> Block:
    return Block("heading", text)


def para(text: str, **kw) -> Block:
    return Block("para", text, **kw)


def line(text: str, **kw) -> Block:
    """A paragraph without first-line indent (a field of a form: "- Họ và tên: ...")."""
    return Block("line", text, **kw)


def table(rows: list[list[str]], widths: list[int] | None = None) -> Block:
    return Block("table", rows=rows, widths=widths or [])


def signatures(*signers: dict) -> Block:
    return Block("signatures", signers=list(signers))


def recipients(items: list[str]) -> Block:
    return Block("recipients", items=items)


def page_break() -> Block:
    return Block("page")
