"""Look at a hubops as its people would, in a separate process (``python -m
tests.continuity.probe``), and print JSON: can the teacher sign in and get their certificate,
can staff sign in, what the successor must act on."""

from __future__ import annotations

import hashlib
import json
import os
import sys

TEACHER = "teacher@demo.hub.example"
STAFF = "maths-hub-lead@demo.hub.example"
PASSWORD = "demo-password-1"  # noqa: S105 - the published demo password


def probe() -> dict:
    from allauth.mfa.models import Authenticator
    from django.conf import settings
    from django.test import Client

    from continuity.models import SlaRenewal
    from hubops.models import User
    from reports.models import Report
    from workgroups.models import Registration, RegStatus

    settings.ALLOWED_HOSTS = ["testserver"]
    teacher = Client()
    signed_in = teacher.post("/accounts/login/", {"login": TEACHER, "password": PASSWORD})
    mine = teacher.get("/workgroups/mine/")
    completed = Registration.objects.filter(user__email=TEACHER, status=RegStatus.COMPLETED)
    certificates = {}
    for reg in completed:
        response = teacher.get(f"/workgroups/mine/{reg.pk}/certificate/")
        certificates[reg.reference] = [response.status_code, response.get("Content-Type")]
    staff = Client()
    staff_login = staff.post("/accounts/login/", {"login": STAFF, "password": PASSWORD})
    pdfs = {}
    for report in Report.objects.exclude(pdf=""):
        with report.pdf.open("rb") as f:
            pdfs[report.title] = hashlib.sha256(f.read()).hexdigest() == report.pdf_sha256
    people = User.objects.all()
    return {
        "teacher_signed_in": signed_in.status_code == 302
        and bool(teacher.session.get("_auth_user_id")),
        "teacher_sees": [r.reference for r in completed if r.reference in mine.content.decode()],
        "certificates": certificates,
        "staff_signed_in": bool(staff.session.get("_auth_user_id")),
        "staff_login_status": staff_login.status_code,
        "active_staff": sorted(
            u.email for u in people if u.is_active and (u.is_staff or u.groups.exists())
        ),
        "staff_with_password": sorted(
            u.email for u in people if (u.is_staff or u.groups.exists()) and u.has_usable_password()
        ),
        "authenticators": Authenticator.objects.count(),
        "sla_renewals": sorted(
            str(r.sla) for r in SlaRenewal.objects.select_related("sla__leader")
        ),
        "report_pdfs_verify": pdfs,
    }


if __name__ == "__main__":
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hubops.settings")
    django.setup()
    json.dump(probe(), sys.stdout)
