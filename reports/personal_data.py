"""Personal data in reports: who drafted, quality-assured and signed them. A signed report is
the hub's accountability record to the DfE: the signer's name printed on the frozen PDF stays
(its SHA-256 must verify); the account links go when an account is erased."""

from django.db.models import Q

from hubops.personal_data import Category, Erase, Retention, register

from .models import Report

KEEP = Retention.keep("Reports to the DfE and the NCETM are kept for the life of the grant.")

register(
    "reports.Report",
    description="Reports you drafted or signed off.",
    personal={
        "created_by": Category.IDENTIFIER,
        "signed_by": Category.IDENTIFIER,
        "signer_name": Category.NAME,
    },
    not_personal=[
        "kind",
        "academic_year",
        "title",
        "period",
        "work_group",
        "due_date",
        "status",
        "figures",
        "figures_taken_at",
        "signed_at",
        "narrative",
        "pdf",
        "pdf_sha256",
        "submitted_to",
        "submitted_on",
        "created_at",
        "updated_at",
    ],
    find=lambda person: _reports(person),
    export_extra=("title", "status"),
    erase=Erase.ANONYMISE,
    # The name signed on a frozen report is part of that record and stays with it.
    anonymise={"created_by": None, "signed_by": None, "signer_name": lambda r: r.signer_name},
    keep_text={
        "signer_name": "the name signed on a report to the DfE is part of that frozen record",
        "narrative": lambda r: (
            "a signed report to the DfE is a frozen record (its PDF's SHA-256 must verify)"
            if r.signed_at
            else None
        ),
    },
    retention=KEEP,
)

register(
    "reports.ReportEvent",
    description="Your quality-assurance decisions and comments on reports.",
    personal={
        "actor": Category.IDENTIFIER,
        "actor_name": Category.NAME,
        "comment": Category.FREE_TEXT,
    },
    not_personal=["report", "at", "action"],
    user_field="actor",
    export_extra=("action", "at"),
    erase=Erase.ANONYMISE,
    anonymise={"actor": None, "actor_name": "[erased]", "comment": lambda e: e.comment},
    retention=KEEP,
)


def _reports(person):
    if person.user is None:
        return Report.objects.none()
    return Report.objects.filter(Q(created_by=person.user) | Q(signed_by=person.user))
