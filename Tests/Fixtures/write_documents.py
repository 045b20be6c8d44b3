#!/usr/bin/python3
"""Writes the PDFs and Word files the tests read, with real writers: ReportLab (PDF: embedded
TrueType font, paragraphs wrapped and justified as a word processor would) and python-docx
(Word: its stock template, styles, core properties). Debian: python3-reportlab, python3-docx,
fonts-dejavu-core (scripts/install-deps installs them).

Reads a JSON list on stdin, one object a file:
  {"kind": "pdf" | "docx", "path": ..., "title": str or null, "created": "2022-11-08T09:00:00Z"
   or null, "paragraphs": [["title" | "heading" | "body" | "picture" (PDF: a drawing, no text),
   text], ...], "password": PDF's user
   password (optional)}
  {"kind": "zip-bomb", "path": ..., "inflated_mb": N, "in_text": bool}: a .docx whose
   word/document.xml inflates to N MB (whitespace between elements, or, with in_text, one
   run's text), from a file of about N KB.
"""
import datetime
import json
import os
import struct
import sys
import zlib

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def write_pdf(spec):
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate
    from xml.sax.saxutils import escape

    if "DejaVu" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVu", FONT))
    sheet = getSampleStyleSheet()
    styles = {"title": sheet["Title"], "heading": sheet["Heading1"], "body": sheet["BodyText"]}
    for style in styles.values():
        style.fontName = "DejaVu"
    styles["body"].alignment = 4  # justified
    if spec.get("created"):
        # ReportLab stamps CreationDate from SOURCE_DATE_EPOCH when it is set.
        when = datetime.datetime.fromisoformat(spec["created"].replace("Z", "+00:00"))
        os.environ["SOURCE_DATE_EPOCH"] = str(int(when.timestamp()))
    else:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
    options = {}
    if spec.get("password"):
        from reportlab.lib.pdfencrypt import StandardEncryption
        options["encrypt"] = StandardEncryption(spec["password"])
    document = SimpleDocTemplate(spec["path"], pagesize=A4, title=spec.get("title") or "", **options)
    from reportlab.graphics.shapes import Drawing, Rect
    story = []
    for style, text in spec["paragraphs"]:
        if style == "picture":  # a page's picture, no text (a scan has nothing else)
            picture = Drawing(400, 300)
            picture.add(Rect(0, 0, 400, 300, fillColor=None))
            story.append(picture)
        else:
            story.append(Paragraph(escape(text), styles[style]))
    document.build(story)


def write_docx(spec):
    import docx

    document = docx.Document()
    properties = document.core_properties
    properties.title = spec.get("title") or ""
    if spec.get("created"):
        properties.created = datetime.datetime.fromisoformat(spec["created"].replace("Z", ""))
    for style, text in spec["paragraphs"]:
        if style == "title":
            document.add_paragraph(text, style="Title")
        elif style == "heading":
            document.add_heading(text, level=1)
        else:
            document.add_paragraph(text)
    document.save(spec["path"])


def write_zip_bomb(spec):
    """A .docx whose word/document.xml inflates to inflated_mb: deflate's best ratio (~1000:1)
    on a repeated byte. The zip is written by hand so nothing inflated is ever held."""
    size = spec["inflated_mb"] << 20
    head = (b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            b'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>')
    tail = b"</w:t></w:r></w:p></w:body></w:document>"
    filler = b"a" if spec.get("in_text") else b" "
    if not spec.get("in_text"):
        head, tail = head[: head.index(b"<w:body>")], b"<w:body><w:p><w:r><w:t>bomb</w:t></w:r></w:p></w:body></w:document>"
    # A full flush resets deflate's window, so every 1 MB block after one compresses to the
    # same bytes: compressed once, copied.
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = filler * (1 << 20)
    blocks = (size - len(head) - len(tail)) >> 20
    start = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeated = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    data = start + repeated * blocks + compressor.compress(tail) + compressor.flush()
    crc = zlib.crc32(head)
    for _ in range(blocks):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    total = len(head) + (blocks << 20) + len(tail)
    name = b"word/document.xml"
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(data), total, len(name), 0) + name
    central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(data), total,
                          len(name), 0, 0, 0, 0, 0, 0) + name
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central), len(local) + len(data), 0)
    with open(spec["path"], "wb") as out:
        out.write(local + data + central + end)


def main():
    writers = {"pdf": write_pdf, "docx": write_docx, "zip-bomb": write_zip_bomb}
    for spec in json.load(sys.stdin):
        writers[spec["kind"]](spec)


if __name__ == "__main__":
    main()
