"""Public pages to check a certificate: enter its code, see whether it is genuine.

The result shows only what a reader needs to match it with the paper in front of them: the
name, the Work Group, the issuing hub and date, and the file's SHA-256. Nothing else about the
person (no school, no email, no attendance)."""

from __future__ import annotations

from django.shortcuts import redirect, render

from hubops.models import Hub

from . import certificates
from .forms import CertificateCodeForm


def verify(request):
    form = CertificateCodeForm(request.GET if "code" in request.GET else None)
    if form.is_bound and form.is_valid():
        return redirect("certificates:verify_code", code=form.cleaned_data["code"])
    return render(
        request,
        "workgroups/certificate_verify.html",
        {"form": form, "page_title": "Check a certificate"},
        status=400 if form.is_bound else 200,
    )


def verify_code(request, code: str):
    certificate = certificates.certificate_verify(code)
    return render(
        request,
        "workgroups/certificate_verified.html",
        {
            "certificate": certificate,
            "code": code,
            "hub": Hub.current(),
            "form": CertificateCodeForm(),
            "page_title": "Certificate is genuine" if certificate else "Certificate not found",
        },
        status=200 if certificate else 404,
    )
