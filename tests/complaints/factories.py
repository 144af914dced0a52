"""factory_boy factories for complaints. Fictional people only.

A complaint is made the way the hub makes one, through ``services.complaint_file`` (its route,
clocks, record, private link and mail), so a test starts from a row the rules made:
``FiledFactory()`` gives the ``Filed`` (complaint and private-link token), ``ComplaintFactory()``
the complaint. Pass ``data__<field>`` to change what the complainant wrote."""

from __future__ import annotations

from datetime import date, timedelta

import factory

from complaints import services
from complaints.models import PolicyVersion

COMPLAINANT = {
    "full_name": "Pat O'Fictional",
    "email": "pat@example.org",
    "phone": "07700 900000",
    "address": "1 Fictional Road\nLondon",
    "relationship": "participant",
    "concerns": "other",
    "about_kind": "work_group",
    "about_detail": "Fictional Fractions Work Group",
    "subject_name": "",
    "issue_date": date(2026, 1, 12),
    "what_happened": "The session was cancelled without notice.",
    "done_so_far": "I emailed the hub.",
    "outcome_wanted": "An apology and better notice.",
    "adjustments": "",
}


class ComplainantData(factory.DictFactory):
    """What the complainant typed (override any field: ``data__concerns="sll"``)."""

    full_name = COMPLAINANT["full_name"]
    email = COMPLAINANT["email"]
    phone = COMPLAINANT["phone"]
    address = COMPLAINANT["address"]
    relationship = COMPLAINANT["relationship"]
    concerns = COMPLAINANT["concerns"]
    about_kind = COMPLAINANT["about_kind"]
    about_detail = COMPLAINANT["about_detail"]
    subject_name = ""
    issue_date = COMPLAINANT["issue_date"]
    what_happened = COMPLAINANT["what_happened"]
    done_so_far = COMPLAINANT["done_so_far"]
    outcome_wanted = COMPLAINANT["outcome_wanted"]
    adjustments = ""


class FiledFactory(factory.Factory):
    """A complaint filed through the service: formal, received Monday 12 January 2026."""

    class Meta:
        model = services.Filed

    data = factory.SubFactory(ComplainantData)
    received_on = date(2026, 1, 12)
    formal = True

    @classmethod
    def _create(cls, model_class, **kwargs):
        return services.complaint_file(**kwargs)

    _build = _create


class ComplaintFactory(FiledFactory):
    """The complaint of :class:`FiledFactory`."""

    @classmethod
    def _create(cls, model_class, **kwargs):
        return services.complaint_file(**kwargs).complaint

    _build = _create


class PolicyVersionFactory(factory.django.DjangoModelFactory):
    """A published version of the policy, reviewed a year after it was approved."""

    class Meta:
        model = PolicyVersion
        django_get_or_create = ("version",)

    version = factory.Sequence(lambda n: n + 1)
    body = factory.LazyAttribute(lambda o: f"Complaints policy, version {o.version} (fictional).")
    approved_on = date(2025, 9, 1)
    review_due_on = factory.LazyAttribute(lambda o: o.approved_on + timedelta(days=365))
