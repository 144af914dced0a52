"""factory_boy factories for privacy's models. Fictional people only.

Records with rules of their own are made through the services (a breach through
``breach_log``, so its reference and 72-hour deadline are the real ones; a data-rights request
through ``data_request_create``, so its due date and token are)."""

from __future__ import annotations

import datetime as dt

import factory

from privacy import services
from privacy.models import DPIA, Breach, DataRequest, LegalHold, PrivacyNotice, RetentionSettings

TODAY = dt.date(2026, 3, 10)


class PrivacyNoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PrivacyNotice
        django_get_or_create = ("version",)

    version = factory.Sequence(lambda n: n + 1)
    body = "We collect your name.\n\nWe keep it for six months."
    published_on = dt.date(2025, 9, 1)


class DataRequestFactory(factory.Factory):
    """``DataRequestFactory(kind="erasure", email=..., identity_confirmed_by_staff=True)``."""

    class Meta:
        model = DataRequest

    kind = "access"
    full_name = factory.Sequence(lambda n: f"Requester Fictional{n}")
    email = factory.Sequence(lambda n: f"requester{n}@example.org")
    details = ""
    received_on = TODAY
    actor = None
    identity_confirmed_by_staff = False

    @classmethod
    def _create(cls, model_class, **kwargs):
        return services.data_request_create(**kwargs)

    _build = _create


class BreachFactory(factory.Factory):
    class Meta:
        model = Breach

    found_at = dt.datetime(2026, 3, 9, 9, 0, tzinfo=dt.UTC)
    what_happened = "A fictional register was emailed to the wrong school."
    data_categories = "names, school emails"
    people_count = 12
    records_count = 12
    likely_consequences = "Low."
    measures_taken = "Recipients deleted it."
    actor = None

    @classmethod
    def _create(cls, model_class, **kwargs):
        return services.breach_log(**kwargs)

    _build = _create


class DPIAFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DPIA

    title = factory.Sequence(lambda n: f"Fictional processing {n}")
    screening = "Large-scale processing of teachers' data."
    risks = "Loss of data"
    measures = "MFA, encryption"
    review_on = dt.date(2026, 4, 1)


class LegalHoldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LegalHold

    object_type = "hubops.user"
    object_id = "0"
    reason = "Tribunal claim"
    placed_on = TODAY


class RetentionSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RetentionSettings

    programme_ends_on = dt.date(2027, 3, 31)
