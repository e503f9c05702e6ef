"""Uploads: their type read from their content (magic bytes), and their size refused at the limit.

- `detect_type(name, head, fileobj)`: the MIME type the content really has, when it matches what the file's
  extension promises; None when it does not (an executable named .pdf, a Word file named .xlsx).
- `RequestSizeLimitMiddleware`: a request that declares a body larger than the largest upload is answered
  413 before a byte of it is read.
- `SizeLimitUploadHandler`: a body without a declared length (chunked) or lying about it is counted while it
  streams and stopped at the limit (413), instead of after it has all arrived.
"""

import zipfile

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

HEAD_BYTES = 8192
OOXML = {
    ".docx": ("word/", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".xlsx": ("xl/", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ".pptx": ("ppt/", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
}
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound file of Office 97–2003
MAGIC = {
    ".pdf": ((b"%PDF",), "application/pdf"),
    ".png": ((b"\x89PNG\r\n\x1a\n",), "image/png"),
    ".jpg": ((b"\xff\xd8\xff",), "image/jpeg"),
    ".jpeg": ((b"\xff\xd8\xff",), "image/jpeg"),
    ".doc": ((OLE2,), "application/msword"),
    ".xls": ((OLE2,), "application/vnd.ms-excel"),
    ".ppt": ((OLE2,), "application/vnd.ms-powerpoint"),
}
TEXT = {".txt": "text/plain", ".md": "text/markdown", ".csv": "text/csv"}
# Every type detect_type can store, which is every type a stored file is served with.
STORED_TYPES = sorted({mime for _prefix, mime in OOXML.values()} | {mime for _sig, mime in MAGIC.values()}
                      | set(TEXT.values()) | {"application/octet-stream"})


def _extension(name):
    name = (name or "").lower()
    return name[name.rfind("."):] if "." in name else ""


def _is_text(head):
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            head.decode(encoding)
            return True
        except UnicodeDecodeError as exc:
            if exc.start >= len(head) - 4:  # a character cut at the end of the sample
                return True
    return False


def _ooxml_part(fileobj):
    try:
        fileobj.seek(0)
        with zipfile.ZipFile(fileobj) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    finally:
        fileobj.seek(0)
    return next((prefix for prefix, _mime in OOXML.values() if any(n.startswith(prefix) for n in names)), None)


def detect_type(name, head, fileobj):
    """The content's MIME type when it is what the extension says, else None. Unknown extensions (an
    administrator may allow more) are stored as application/octet-stream."""
    ext = _extension(name)
    if ext in OOXML:
        prefix, mime = OOXML[ext]
        return mime if head.startswith(b"PK\x03\x04") and _ooxml_part(fileobj) == prefix else None
    if ext in MAGIC:
        signatures, mime = MAGIC[ext]
        return mime if head.startswith(signatures) else None
    if ext in TEXT:
        return TEXT[ext] if _is_text(head) else None
    return "application/octet-stream"


def upload_limit():
    """The largest body a request may have: the largest upload, with room for the form around it."""
    return max(settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0, settings.MATERIAL_MAX_BYTES + 65_536)


def _too_large(message=""):
    return HttpResponse(message or _("The request is too large."), status=413,
                        content_type="text/plain; charset=utf-8")


class RequestSizeLimitMiddleware:
    """413 for a request whose declared body is larger than the largest upload, before it is read."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > upload_limit():
            return _too_large()
        return self.get_response(request)

    def process_exception(self, request, exception):
        """A file stopped at the limit while it streamed (pages; the API answers it itself)."""
        if isinstance(exception, RequestDataTooBig):
            return _too_large(str(exception))
        return None


class SizeLimitUploadHandler(FileUploadHandler):
    """Counts each uploaded file while it streams and stops it at MATERIAL_MAX_BYTES (RequestDataTooBig → 413)."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.MATERIAL_MAX_BYTES:
            raise RequestDataTooBig(_("The file is larger than %(limit)s.") % {"limit": size_text(
                settings.MATERIAL_MAX_BYTES)})
        return raw_data

    def file_complete(self, file_size):
        return None


def size_text(n):
    """A size as people read it, exact for small limits (1000 bytes, 20 MB)."""
    return str(filesizeformat(n)).replace("\xa0", " ")
