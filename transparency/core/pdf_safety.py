"""Finding what a PDF could do besides being read: scripts, automatic actions, launched
programs, embedded files, multimedia, forms that send data, links into other files.

A byte search for `/JavaScript` misses `/J#61vaScript` (the same name, written with a `#xx`
escape), anything inside a compressed object stream, and a name split across revisions. So the
file is parsed as PDF, by qpdf through pikepdf: names come back decoded, object streams
unpacked, and every object in the cross-reference table — catalog, pages, annotations, name
trees, form fields and the trailer — is walked, keys and values alike. What qpdf cannot open
(damaged beyond repair, or locked with a password) is refused too: a file that cannot be
inspected cannot be vouched for.

Scanned disclosures never need any of these features, so a PDF carrying one is refused outright
rather than "cleaned".

`pdf_features` is pure and runs well inside a bounded child process (`check_pdf(limits=...)`);
the messages are made in the caller's process, in the visitor's language.

Raises: UnsafePdf (check_pdf), WorkBusy (check_pdf with limits, when every slot is taken).
"""

from __future__ import annotations

import enum
import io
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from flask_babel import gettext as _

from transparency.core.limits import Limits, WorkFailed, WorkTimedOut, register_preload, run_bounded

if TYPE_CHECKING:
    import pikepdf

# The checking child is forked with pikepdf loaded. The web process itself imports pikepdf only
# when it checks a PDF without limits (tests, commands): 6 MB and a tenth of a second at start-up.
register_preload(__name__, "pikepdf")


class PdfFeature(enum.StrEnum):
    UNREADABLE = "unreadable"
    SCRIPT = "script"
    AUTOMATIC_ACTION = "automatic-action"
    LAUNCH = "launch"
    EMBEDDED_FILE = "embedded-file"
    MEDIA = "media"
    FORM_DATA = "form-data"
    OTHER_FILE = "other-file"


# Names compared case-insensitively, after qpdf has decoded `#xx` escapes: PDF names are
# case-sensitive, but a lenient viewer is not a thing to bet villagers' phones on.
_KEYS = {
    "/js": PdfFeature.SCRIPT,
    "/javascript": PdfFeature.SCRIPT,  # the document's name tree of scripts
    "/xfa": PdfFeature.SCRIPT,  # XML forms carry their own scripts
    "/openaction": PdfFeature.AUTOMATIC_ACTION,
    "/aa": PdfFeature.AUTOMATIC_ACTION,  # "additional actions" on the document, a page, a field
    "/embeddedfiles": PdfFeature.EMBEDDED_FILE,
    "/embeddedfile": PdfFeature.EMBEDDED_FILE,
    "/ef": PdfFeature.EMBEDDED_FILE,  # a file specification's embedded stream
    "/richmediacontent": PdfFeature.MEDIA,
    "/richmediasettings": PdfFeature.MEDIA,
}
_VALUES = {
    "/javascript": PdfFeature.SCRIPT,
    "/launch": PdfFeature.LAUNCH,
    "/embeddedfile": PdfFeature.EMBEDDED_FILE,
    "/fileattachment": PdfFeature.EMBEDDED_FILE,
    "/richmedia": PdfFeature.MEDIA,
    "/movie": PdfFeature.MEDIA,
    "/sound": PdfFeature.MEDIA,
    "/rendition": PdfFeature.MEDIA,
    "/submitform": PdfFeature.FORM_DATA,
    "/importdata": PdfFeature.FORM_DATA,
    "/gotor": PdfFeature.OTHER_FILE,
    "/gotoe": PdfFeature.OTHER_FILE,
}


class UnsafePdf(ValueError):
    """The PDF carries active content or cannot be inspected; `messages` say what, for the uploader."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("；".join(messages))
        self.messages = messages


def pdf_features(data: bytes) -> list[PdfFeature]:
    """The dangerous features found in `data`, each once, in a stable order (empty: a plain PDF)."""
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            found = set(_features(_all_objects(pdf)))
    except (pikepdf.PdfError, pikepdf.PasswordError, ValueError, RecursionError):
        return [PdfFeature.UNREADABLE]
    return [feature for feature in PdfFeature if feature in found]


def _all_objects(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Object]:
    """Every indirect object (those inside object streams included) and the trailer."""
    yield pdf.trailer
    yield from pdf.objects


def _features(roots: Iterable[pikepdf.Object]) -> Iterator[PdfFeature]:
    """Walks each root and its direct children; an indirect child is a root of its own, so it is
    not followed (which also keeps a reference loop from walking forever)."""
    import pikepdf

    for root in roots:
        stack = [root]
        while stack:
            item = stack.pop()
            if isinstance(item, pikepdf.Stream):
                item = item.stream_dict
            if isinstance(item, pikepdf.Dictionary):
                for key, value in item.items():
                    if key.lower() in _KEYS:
                        yield _KEYS[key.lower()]
                    stack.extend(_direct([value]))
            elif isinstance(item, pikepdf.Array):
                stack.extend(_direct(item))
            elif isinstance(item, pikepdf.Name) and str(item).lower() in _VALUES:
                yield _VALUES[str(item).lower()]


def _direct(items: Iterable[object]) -> Iterator[pikepdf.Object]:
    import pikepdf

    for item in items:
        if isinstance(item, pikepdf.Object) and not item.is_indirect:
            yield item


def feature_messages(features: Iterable[PdfFeature]) -> list[str]:
    """One message per feature, in the current locale."""
    messages = {
        PdfFeature.UNREADABLE: lambda: _("文件不是能读取的 PDF（已损坏或加了密码），不能上传"),
        PdfFeature.SCRIPT: lambda: _("PDF 文件里带有脚本（JavaScript），不能上传"),
        PdfFeature.AUTOMATIC_ACTION: lambda: _("PDF 文件里带有打开或浏览时自动执行的动作，不能上传"),
        PdfFeature.LAUNCH: lambda: _("PDF 文件会启动其他程序（Launch），不能上传"),
        PdfFeature.EMBEDDED_FILE: lambda: _("PDF 文件里嵌有其他文件，不能上传"),
        PdfFeature.MEDIA: lambda: _("PDF 文件里带有音视频或多媒体内容，不能上传"),
        PdfFeature.FORM_DATA: lambda: _("PDF 文件里的表单会发送或导入数据，不能上传"),
        PdfFeature.OTHER_FILE: lambda: _("PDF 文件里有打开其他文件的链接，不能上传"),
    }
    return [messages[feature]() for feature in features]


def dangerous_pdf_features(data: bytes) -> list[str]:
    """What `data` carries that a published PDF must not, as messages (empty: a plain PDF)."""
    return feature_messages(pdf_features(data))


def check_pdf(data: bytes, *, limits: Limits | None = None) -> None:
    """Refuse a PDF with active content; with `limits`, inspect it in a bounded child process.

    Raises UnsafePdf (also when the inspection ran out of time or memory: a scan is never that
    complex), WorkBusy (every checking slot stayed taken: the caller answers "try again").
    """
    if limits is None:
        features = pdf_features(data)
    else:
        try:
            features = run_bounded(pdf_features, data, limits=limits, preload=[__name__])
        except (WorkTimedOut, WorkFailed):
            raise UnsafePdf([_("PDF 文件过于复杂，无法在规定时间内检查，不能上传")]) from None
    if features:
        raise UnsafePdf(feature_messages(features))
