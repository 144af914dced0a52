"""Form bodies must be UTF-8: anything else is refused with a 400 and a clear message.

Django decodes a form body with the charset the client declares (or UTF-8), replacing bytes
it cannot decode, so ``b"\\xff\\xfe\\xfa"`` would be stored as "ÿþú" (declared Latin-1) or as
replacement characters. Every page of the hub is served as UTF-8 and its forms send UTF-8,
so a body that is not is a broken client or a probe: say so, store nothing.
"""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

from django.shortcuts import render

URLENCODED = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"
UTF8 = {"utf-8", "utf8"}
MESSAGE = (
    "The form was sent in a character encoding other than UTF-8, so we could not read it "
    "and nothing was saved. Go back, refresh the page and send the form again; if it keeps "
    "happening, try another browser."
)


def _urlencoded_is_utf8(body: bytes) -> bool:
    for part in body.split(b"&"):
        for piece in part.split(b"=", 1):
            try:
                unquote_to_bytes(piece.replace(b"+", b" ")).decode("utf-8")
            except UnicodeDecodeError:
                return False
    return True


def _multipart_fields_are_utf8(request) -> bool:
    # Django decoded the text fields with errors="replace"; a replacement character means
    # the bytes were not UTF-8 (nobody types U+FFFD into a form).
    return not any("\ufffd" in v for values in request.POST.lists() for v in values[1])


def bad_form_encoding(request) -> bool:
    if request.method in ("GET", "HEAD", "OPTIONS", "TRACE"):
        return False
    content_type = request.META.get("CONTENT_TYPE", "")
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind not in (URLENCODED, MULTIPART):
        return False
    charset = request.content_params.get("charset", "").strip().strip('"').lower()
    if charset and charset not in UTF8:
        return True
    if kind == URLENCODED:
        return not _urlencoded_is_utf8(request.body)
    return not _multipart_fields_are_utf8(request)


class FormEncodingMiddleware:
    """Refuse a form body that is not UTF-8 (400, with :data:`MESSAGE`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if bad_form_encoding(request):
            return render(
                request,
                "400.html",
                {"page_title": "Your form could not be read", "message": MESSAGE},
                status=400,
            )
        return self.get_response(request)
