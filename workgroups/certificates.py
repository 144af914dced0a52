"""Certificates of participation: issued once, stored with their SHA-256, verified by code.

``certificate_issue`` makes the PDF the first time a participant who completed a Work Group asks
for it and stores it; every later download serves those same bytes, so the file a school holds
is the one the verify page vouches for. ``certificate_verify`` is the public check.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from hubops import audit
from hubops.formats import absolute_url
from hubops.models import Hub
from hubops.pdf import render_pdf, sha256_hex

from . import selectors
from .models import CODE_ALPHABET, AttendanceStatus, Certificate, Registration, RegStatus
from .workflow import WorkGroupError


class CertificateNotAvailable(WorkGroupError):
    """The participant has not completed the Work Group (yet)."""


def normalise_code(text: str) -> str | None:
    """``"abcd efgh-jkmn"`` -> ``"ABCD-EFGH-JKMN"``; None when it cannot be a code."""
    raw = re.sub(r"[\s\-]", "", text or "").upper()
    if len(raw) != 12 or any(ch not in CODE_ALPHABET for ch in raw):
        return None
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def verify_url(code: str) -> str:
    path = reverse("certificates:verify_code", args=[code])
    return absolute_url(path)


def _lead_names(registration: Registration) -> list[str]:
    return [
        lead.full_name or lead.email
        for lead in registration.work_group.leads.order_by("full_name", "pk")
    ]


def certificate_context(registration: Registration, *, code: str, issued_on: date) -> dict:
    group = registration.work_group
    running = list(group.sessions.filter(cancelled=False).order_by("starts_at", "pk"))
    number = {s.pk: i for i, s in enumerate(running, start=1)}
    present = set(
        registration.attendance.filter(status=AttendanceStatus.PRESENT).values_list(
            "session_id", flat=True
        )
    )
    # (the session's number in the group, the session), for the sessions attended.
    attended = [(number[s.pk], s) for s in running if s.pk in present]
    return {
        "reg": registration,
        "group": group,
        "project": group.project,
        "hub": Hub.current(),
        "attended": attended,
        "sessions": len(running),
        "leads": _lead_names(registration),
        "issued_on": issued_on,
        "code": code,
        "verify_url": verify_url(code),
        "verify_page": absolute_url(reverse("certificates:verify")),
    }


def certificate_issue(*, registration_id: int, actor: Any, today: date) -> Certificate:
    """The registration's certificate, made and stored the first time (idempotent: a second
    call, or a concurrent one, returns the one already issued, unchanged)."""
    existing = Certificate.objects.filter(registration_id=registration_id).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            reg = (
                Registration.objects.select_for_update()
                .select_related("school", "work_group__project")
                .get(pk=registration_id)
            )
            if reg.status != RegStatus.COMPLETED or not selectors.meets_completion_rule(reg):
                raise CertificateNotAvailable(
                    "A certificate is available once you have completed the Work Group."
                )
            certificate = Certificate(registration=reg, issued_on=today)
            pdf = render_pdf(
                "workgroups/pdf/certificate.html",
                certificate_context(reg, code=certificate.code, issued_on=today),
            )
            certificate.sha256 = sha256_hex(pdf)
            certificate.file.save(
                f"certificate-{reg.reference}-{certificate.code}.pdf", ContentFile(pdf), save=False
            )
            try:
                certificate.full_clean(exclude=["registration", "code"])
                certificate.save()
            except BaseException:
                certificate.file.storage.delete(certificate.file.name)
                raise
            audit.record(
                actor,
                certificate,
                "workgroups.certificate.issued",
                data={"registration": reg.reference, "sha256": certificate.sha256},
            )
            return certificate
    except IntegrityError:
        # Someone else issued it first: theirs is the certificate.
        return Certificate.objects.get(registration_id=registration_id)


def certificate_verify(code_text: str) -> Certificate | None:
    """The certificate with this verification code, or None (also for a malformed code)."""
    code = normalise_code(code_text)
    if code is None:
        return None
    return (
        Certificate.objects.select_related(
            "registration__work_group__project", "registration__school"
        )
        .filter(code=code)
        .first()
    )
