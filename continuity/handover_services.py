"""Handover to a successor Lead School: the signed, encrypted package of the whole hub (every
model, every media file) and its import into a fresh hubops; SLAs flagged for renewal.

The package's format is in :mod:`continuity.handover`; the media come from, and go into,
``STORAGES["default"]`` (a folder or a bucket)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from governance import selectors as governance_selectors
from hubops import audit, personal_data
from hubops.models import Hub, School, User

from . import archive, crypto, handover, storage
from .models import BackupRun, RunKind, RunStatus, SlaRenewal
from .restore_services import restore_media
from .services import ContinuityError, _record, code_version

DEFAULT_PURPOSE = (
    "Transfer of the Maths Hub to the successor Lead School appointed by the DfE, so that "
    "its work continues unchanged for schools."
)


@dataclass
class HandoverExport:
    path: Path
    fingerprint: str
    manifest: dict
    run: BackupRun


def handover_key() -> bytes:
    try:
        return crypto.check_key(getattr(settings, "HUBOPS_HANDOVER_KEY", ""))
    except crypto.ArchiveError as exc:
        raise ContinuityError(
            str(exc)
            .replace(crypto.KEY_ENV, handover.KEY_ENV)
            .replace("a long random string", "a passphrase agreed with the other Lead School")
        ) from None


def _package_models() -> list[type[Model]]:
    chosen = []
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.proxy or not model._meta.managed:
            continue
        if model._meta.app_label in handover.EXCLUDE or label in handover.EXCLUDE:
            continue
        chosen.append(model)
    return chosen


SHORT_CATEGORY = {
    "Teacher Reference Number": "TRN",
    "free text written by or about the person": "free text",
    "identifier linking to the person": "identifiers",
    "credential or security data": "password hashes",
    "online identifier (IP address, browser, session)": "online identifiers",
    "special category data (health, access needs)": "special category (access needs)",
}


def _personal_data_summary(models_in_package: list[type[Model]]) -> tuple[list[str], int]:
    """The categories of personal data in the package and how many people it concerns
    (distinct email addresses across every model that records one, plus accounts)."""
    labels = {m._meta.label_lower for m in models_in_package}
    categories: set[str] = set()
    emails: set[str] = set()
    for declaration in personal_data.personal_models():
        if declaration.label not in labels:
            continue
        model = declaration.model
        if not model._default_manager.exists():
            continue
        categories |= {str(c) for c in declaration.personal.values()}
        if declaration.email_field:
            emails |= {
                e.lower()
                for e in model._default_manager.values_list(declaration.email_field, flat=True)
                if e
            }
    emails |= {e.lower() for e in User.objects.values_list("email", flat=True)}
    # The privacy notice's order, in words short enough for the sharing log's one line.
    order = [str(c) for c in personal_data.Category]
    named = [SHORT_CATEGORY.get(c, c) for c in sorted(categories, key=order.index)]
    return named, len(emails)


def handover_export(
    *, path: Path, to: str, basis: str, purpose: str = "", actor: Any = None
) -> HandoverExport:
    """Write the signed, encrypted handover package for the successor Lead School ``to`` and
    record the disclosure in the sharing log (which is itself in the package)."""
    key = handover_key()
    if not to.strip() or not basis.strip():
        raise ContinuityError("Say who receives the package (--to) and on what basis (--basis).")
    purpose = purpose or DEFAULT_PURPOSE
    started = timezone.now()
    hub = Hub.current()
    chosen = _package_models()
    with transaction.atomic(), handover.temp_dir() as tmp:
        categories, people = _personal_data_summary(chosen)
        personal_data.record_disclosure(
            recipient=f"Successor Lead School: {to}"[:100],
            purpose=purpose[:300],
            lawful_basis=basis[:200],
            data_categories=categories,
            people_count=people,
            actor=actor,
            source="continuity.handover_export",
        )
        data_json = Path(tmp) / handover.DATA
        call_command(
            "dumpdata",
            exclude=handover.EXCLUDE,
            natural_foreign=True,
            format="xml",
            output=str(data_json),
            verbosity=0,
        )
        counts = {m._meta.label_lower: m._base_manager.count() for m in chosen}
        manifest, fp = handover.write_package(
            path,
            key=key,
            data_json=data_json,
            media=storage.media(),
            manifest={
                "created_at": started.isoformat(),
                "code_version": code_version(),
                "hub": {"name": hub.name, "code": hub.code} if hub else None,
                "to": to,
                "basis": basis,
                "purpose": purpose,
                "data_categories": categories,
                "people": people,
                "counts": counts,
                "excluded": handover.EXCLUDE,
            },
        )
    run = _record(
        kind=RunKind.HANDOVER_EXPORT,
        status=RunStatus.SUCCEEDED,
        started_at=started,
        finished_at=timezone.now(),
        trigger=getattr(actor, "email", None) or "command",
        archive_name=path.name,
        archive_sha256=archive.sha256_file(path),
        archive_bytes=path.stat().st_size,
        rows=sum(counts.values()),
        files=len(manifest["files"]) - 1,
        detail=f"For {to}; signer {fp}",
    )
    return HandoverExport(path=path, fingerprint=fp, manifest=manifest, run=run)


@dataclass
class HandoverImport:
    manifest: dict
    rows: int
    files: int
    staff_disabled: int
    slas_flagged: int


def _staff_accounts() -> QuerySet[User]:
    return User.objects.filter(
        Q(is_staff=True) | Q(is_superuser=True) | Q(groups__isnull=False)
    ).distinct()


def _refuse_unless_fresh() -> None:
    if Hub.objects.exists() or User.objects.exists():
        raise ContinuityError(
            "This hubops already has a hub or user accounts: load a handover only into a fresh "
            "install (a new, migrated database with nothing in it)."
        )
    media = storage.media()
    if storage.walk(media):
        raise ContinuityError(
            f"The media folder {storage.label(media)} is not empty: use an empty one."
        )


def _load_rows(manifest: dict, data: Path) -> dict[str, int]:
    """Load the package's rows in place of a fresh install's defaults; the counts loaded."""
    # A fresh install's defaults (the role groups, letter templates) give way to the
    # outgoing hub's own rows.
    for label in manifest["counts"]:
        model = apps.get_model(label)
        if model._base_manager.exists():
            model._base_manager.all().delete()
    call_command("loaddata", str(data), verbosity=0)
    counts = {label: apps.get_model(label)._base_manager.count() for label in manifest["counts"]}
    wrong = {k: (counts[k], v) for k, v in manifest["counts"].items() if counts[k] != v}
    if wrong:
        raise ContinuityError(f"The loaded rows differ from the manifest: {wrong}")
    return counts


def _disable_staff() -> int:
    disabled = 0
    for user in _staff_accounts():
        user.is_active = False
        user.set_unusable_password()
        user.save(update_fields=["is_active", "password"])
        disabled += 1
    return disabled


def _set_lead_school(urn: int | None) -> None:
    if not urn:
        return
    school = School.objects.filter(urn=urn).first()
    if school is None:
        raise ContinuityError(f"No school with URN {urn} in the package.")
    Hub.objects.update(lead_school=school)


def handover_import(
    *, path: Path, fingerprint: str, lead_school_urn: int | None = None
) -> HandoverImport:
    """Load a handover package into this fresh hubops (migrated, with no hub and no users).
    Staff accounts arrive disabled with no usable password; SLAs still running are flagged for
    renewal by the successor."""
    key = handover_key()
    _refuse_unless_fresh()
    today = timezone.localdate()
    with handover.temp_dir() as tmp:
        try:
            manifest = handover.read_package(
                path, key=key, into=Path(tmp), expected_fingerprint=fingerprint
            )
        except handover.HandoverError as exc:
            raise ContinuityError(f"Nothing was loaded: {exc}") from exc
        with transaction.atomic():
            counts = _load_rows(manifest, Path(tmp) / handover.DATA)
            disabled = _disable_staff()
            flagged = _flag_slas(today=today, source=manifest.get("hub") or {})
            _set_lead_school(lead_school_urn)
            _record(
                kind=RunKind.HANDOVER_IMPORT,
                status=RunStatus.SUCCEEDED,
                trigger="command",
                archive_name=path.name,
                rows=sum(counts.values()),
                files=len(manifest["files"]) - 1,
                detail=(
                    f"From {(manifest.get('hub') or {}).get('name', '?')} for {manifest['to']}; "
                    f"{disabled} staff accounts disabled, {flagged} SLAs flagged for renewal."
                ),
            )
        restore_media(Path(tmp) / "media", storage.media())
    return HandoverImport(
        manifest=manifest,
        rows=sum(counts.values()),
        files=len(manifest["files"]) - 1,
        staff_disabled=disabled,
        slas_flagged=flagged,
    )


def _flag_slas(*, today: dt.date, source: dict) -> int:
    flagged = 0
    running = governance_selectors.running_slas(today)
    for sla in running:
        SlaRenewal.objects.create(
            sla=sla,
            flagged_on=today,
            reason=(
                f"Agreed with {source.get('name', 'the outgoing Lead School')}: the successor "
                "Lead School renews it with a new SLA."
            )[:200],
        )
        flagged += 1
    return flagged


def sla_renewal_mark_renewed(*, renewal_id: int, actor: Any, today: dt.date) -> SlaRenewal:
    """The successor has agreed a new SLA with this local leader."""
    with transaction.atomic():
        renewal = SlaRenewal.objects.select_for_update().get(pk=renewal_id)
        if renewal.renewed_on is not None:
            raise ContinuityError("This SLA is already marked as renewed.")
        renewal.renewed_on = today
        renewal.save(update_fields=["renewed_on"])
        audit.record(actor, renewal, "continuity.sla_renewal.renewed")
    return renewal
