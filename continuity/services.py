"""Continuity writes: backups, verifications, restores, pruning and the nightly run.

Reading the choice of tools: django-dbbackup (maintained; 5.x uses ``pg_dump`` and, since 5.0,
SQLite's ``.backup``; gzip, GPG, Django storages) was weighed and not used. It writes the
database and the media as two separate archives with no manifest, so a restore cannot be
proven against row counts and file hashes, and it has no restore-into-a-scratch-database
check; its encryption is GPG through the ``gpg`` binary and a keyring on the server (one more
secret store to keep and rotate). What hubops needs beyond ``pg_dump`` and ``sqlite3``'s backup
API is small: a tar stream, a manifest and authenticated encryption (``cryptography``'s
AES-GCM, already installed for allauth's MFA), so it is here, with tests.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from hubops import audit
from hubops.emails import queue_email
from hubops.models import Hub
from hubops.roles import Role, users_with_role

from . import archive, crypto, engines, retention
from .models import BackupRun, RunKind, RunStatus

ARCHIVE_RE = re.compile(r"^hubops-backup-(\d{8}T\d{6}Z)\.tar\.gz\.enc$")


class ContinuityError(Exception):
    """A continuity operation was refused or failed; the message is for the operator."""


# -- settings ----------------------------------------------------------------------------------


def backup_key() -> str:
    try:
        return crypto.check_key(getattr(settings, "HUBOPS_BACKUP_KEY", ""))
    except crypto.ArchiveError as exc:
        raise ContinuityError(str(exc)) from None


def backup_keys() -> list[str]:
    """The keys that may open an archive: the current one first, then the previous ones
    (``HUBOPS_BACKUP_PREVIOUS_KEYS``) kept after a rotation until old archives age out."""
    keys = [backup_key()]
    for old in getattr(settings, "HUBOPS_BACKUP_PREVIOUS_KEYS", []):
        if old and old not in keys:
            keys.append(old)
    return keys


def backup_dir() -> Path:
    return Path(settings.HUBOPS_BACKUP_DIR)


def code_version() -> str:
    """``git describe`` of the running code, or the package version when not a checkout."""
    try:
        result = subprocess.run(
            ["git", "describe", "--tags", "--always", "--dirty"],  # noqa: S607
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=10,
        )
        if result.returncode == 0 and result.stdout.strip():
            return result.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass  # no git here (an image, a tarball): the package version below says it instead
    try:
        return metadata.version("hubops")
    except metadata.PackageNotFoundError:
        import tomllib

        with open(Path(settings.BASE_DIR) / "pyproject.toml", "rb") as f:
            return tomllib.load(f)["project"]["version"]


def unapplied_migrations(alias: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Migrations the code has that the database does not (``app.name``)."""
    executor = MigrationExecutor(connections[alias])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{m.app_label}.{m.name}" for m, backwards in plan if not backwards]


def archive_name(now: dt.datetime) -> str:
    return f"hubops-backup-{now.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}.tar.gz.enc"


def archive_time(path: Path) -> dt.datetime | None:
    match = ARCHIVE_RE.match(path.name)
    if not match:
        return None
    return dt.datetime.strptime(match.group(1), "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)


def archives(folder: Path | None = None) -> list[Path]:
    """The backup archives in ``folder``, newest first."""
    folder = folder or backup_dir()
    if not folder.is_dir():
        return []
    found = [p for p in folder.iterdir() if p.is_file() and archive_time(p)]
    return sorted(found, key=archive_time, reverse=True)


def _record(**fields) -> BackupRun:
    run = BackupRun.objects.create(**fields)
    audit.record(
        None,
        run,
        f"continuity.{run.kind}.{run.status}",
        data={"archive": run.archive_name, "trigger": run.trigger},
    )
    return run


# -- backup ------------------------------------------------------------------------------------


@dataclass
class BackupResult:
    path: Path
    manifest: dict
    run: BackupRun


def backup_create(*, trigger: str = "command", now: dt.datetime | None = None) -> BackupResult:
    """Write one encrypted archive of the database and the media files; record the run.
    Raises :class:`ContinuityError` (after recording a failed run) when it cannot."""
    started = timezone.now()
    path = backup_dir() / archive_name(now or started)
    if path.exists():
        raise ContinuityError(f"{path.name} exists already: run the backup again in a second.")
    hub = Hub.current()
    try:
        key = backup_key()
        engine = engines.engine_for()
        manifest, sha, size = archive.write_archive(
            path,
            key=key,
            engine=engine,
            media_root=Path(settings.MEDIA_ROOT),
            manifest={
                "kind": "hubops-backup",
                "created_at": started.isoformat(),
                "code_version": code_version(),
                "hub": {"name": hub.name, "code": hub.code} if hub else None,
                "unapplied_migrations": unapplied_migrations(),
            },
        )
    except Exception as exc:  # noqa: BLE001 - any failure is recorded and reported in words
        _record(
            kind=RunKind.BACKUP,
            status=RunStatus.FAILED,
            started_at=started,
            finished_at=timezone.now(),
            trigger=trigger,
            archive_name=path.name,
            detail=str(exc),
        )
        if isinstance(exc, ContinuityError):
            raise
        raise ContinuityError(f"The backup failed: {exc}") from exc
    tables = manifest["database"]["tables"]
    run = _record(
        kind=RunKind.BACKUP,
        status=RunStatus.SUCCEEDED,
        started_at=started,
        finished_at=timezone.now(),
        trigger=trigger,
        archive_name=path.name,
        archive_sha256=sha,
        archive_bytes=size,
        tables=len(tables),
        rows=sum(tables.values()),
        files=manifest["media"]["count"],
    )
    return BackupResult(path=path, manifest=manifest, run=run)


# -- verify ------------------------------------------------------------------------------------


@dataclass
class VerifyResult:
    path: Path
    ok: bool
    differences: list[str] = field(default_factory=list)
    manifest: dict | None = None
    seconds: float = 0.0


def backup_verify(*, path: Path, trigger: str = "command", record: bool = True) -> VerifyResult:
    """Restore ``path`` into a scratch database (a temporary SQLite file, or a PostgreSQL
    database created and dropped here) and compare it, and every file, with the manifest."""
    started, clock = timezone.now(), time.monotonic()
    result = VerifyResult(path=path, ok=False)
    try:
        key = backup_keys()
        with tempfile.TemporaryDirectory(prefix="hubops-verify-") as tmp:
            manifest, found = archive.read_archive(path, key=key, into=Path(tmp))
            result.manifest = manifest
            result.differences += archive.compare_files(manifest, found)
            engine = engines.engine_named(manifest["database"]["engine"])
            dump = Path(tmp).joinpath(*manifest["database"]["file"].split("/"))
            if dump.exists():
                with engine.scratch(dump, Path(tmp)) as description:
                    result.differences += archive.compare_database(manifest, description)
    except (crypto.ArchiveError, engines.EngineError, ContinuityError) as exc:
        result.differences.append(str(exc))
    except OSError as exc:
        result.differences.append(f"Could not read the archive: {exc}")
    except Exception as exc:  # noqa: BLE001 - a verification reports every failure
        result.differences.append(f"The restore test failed: {type(exc).__name__}: {exc}")
    result.ok = not result.differences
    result.seconds = time.monotonic() - clock
    if record:
        tables = (result.manifest or {}).get("database", {}).get("tables", {})
        _record(
            kind=RunKind.VERIFY,
            status=RunStatus.SUCCEEDED if result.ok else RunStatus.FAILED,
            started_at=started,
            finished_at=timezone.now(),
            trigger=trigger,
            archive_name=path.name,
            tables=len(tables) if result.manifest else None,
            rows=sum(tables.values()) if result.manifest else None,
            files=result.manifest["media"]["count"] if result.manifest else None,
            detail="\n".join(result.differences),
        )
    return result


# -- restore -----------------------------------------------------------------------------------


@dataclass
class RestoreResult:
    manifest: dict
    tables: int
    rows: int
    files: int
    warnings: list[str]


def backup_restore(*, path: Path, media_root: Path | None = None) -> RestoreResult:
    """Restore ``path`` into this install's database (which must be empty) and media folder
    (which must be empty or missing). Checks every hash before it writes anything and every
    row count after."""
    key = backup_keys()
    media_root = Path(media_root or settings.MEDIA_ROOT)
    engine = engines.engine_for()
    try:
        present = engine.target_tables()
    except Exception as exc:  # noqa: BLE001 - any database error is reported in words
        raise ContinuityError(f"Cannot reach the database to restore into: {exc}") from exc
    if present:
        raise ContinuityError(
            f"The database is not empty ({len(present)} tables, e.g. {present[0]}). Restore "
            "needs an empty database: create a new one and point DATABASE_URL at it (or drop "
            "this one after taking a backup of it). Do not run migrate first."
        )
    if media_root.exists() and any(media_root.iterdir()):
        raise ContinuityError(
            f"The media folder {media_root} is not empty: move it aside (or set "
            "HUBOPS_MEDIA_ROOT to an empty folder) and run restore again."
        )
    with tempfile.TemporaryDirectory(prefix="hubops-restore-") as tmp:
        try:
            manifest, found = archive.read_archive(path, key=key, into=Path(tmp))
            problems = archive.compare_files(manifest, found)
            if problems:
                raise ContinuityError(
                    "The archive does not match its manifest; nothing was restored:\n  "
                    + "\n  ".join(problems)
                )
            engine = engines.engine_named(manifest["database"]["engine"])
            engine.restore(Path(tmp).joinpath(*manifest["database"]["file"].split("/")))
        except (crypto.ArchiveError, engines.EngineError) as exc:
            raise ContinuityError(f"Nothing was restored: {exc}") from exc
        _move_media(Path(tmp) / "media", media_root)
    description = engine.describe(None) if engine.name == "postgresql" else _sqlite_describe()
    differences = archive.compare_database(manifest, description)
    files = archive.media_hashes(media_root)
    want = {rel: meta["sha256"] for rel, meta in manifest["media"]["files"].items()}
    differences += [
        f"file differs after restore: {rel}" for rel in want if files.get(rel) != want[rel]
    ]
    if differences:
        raise ContinuityError(
            "The restored database does not match the manifest:\n  " + "\n  ".join(differences)
        )
    warnings = []
    pending = unapplied_migrations()
    if pending:
        warnings.append(
            f"The code has {len(pending)} migration(s) newer than the backup "
            f"({', '.join(pending[:5])}{'...' if len(pending) > 5 else ''}): run "
            "`python manage.py migrate` next."
        )
    # Nothing is written to the restored database: it must be exactly the backup (the
    # runbook asks the operator to record the restore in the incident's breach record).
    tables = manifest["database"]["tables"]
    return RestoreResult(
        manifest=manifest,
        tables=len(tables),
        rows=sum(tables.values()),
        files=len(files),
        warnings=warnings,
    )


def _move_media(source: Path, media_root: Path) -> None:
    """Move unpacked media into place (across file systems too: a Docker volume is one)."""
    import shutil

    media_root.mkdir(parents=True, exist_ok=True)
    if source.is_dir():
        for item in sorted(source.iterdir()):
            shutil.move(str(item), str(media_root / item.name))


def _sqlite_describe() -> dict:
    connection = connections[DEFAULT_DB_ALIAS]
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        counts, migrations = engines._counts_and_migrations(cursor, tables)
    return {"tables": counts, "migrations": migrations}


# -- retention and the nightly run ------------------------------------------------------------


def backup_prune(*, keep_also: Path | None = None) -> list[Path]:
    """Delete the archives the retention policy no longer keeps. Returns what was deleted."""
    policy = settings.HUBOPS_BACKUP_RETENTION
    found = archives()
    stamps = {archive_time(p): p for p in found}
    keep = retention.keep(
        list(stamps),
        daily=policy["daily"],
        weekly=policy["weekly"],
        monthly=policy["monthly"],
        tz=timezone.get_default_timezone(),
    )
    deleted = []
    for stamp, path in stamps.items():
        if stamp not in keep and path != keep_also:
            path.unlink(missing_ok=True)
            deleted.append(path)
    return deleted


def _tell_data_protection_lead(*, subject: str, problem: str, archive_name: str) -> None:
    to = [u.email for u in users_with_role(Role.DATA_PROTECTION_LEAD)]
    if not to:
        to = [u.email for u in users_with_role(Role.MHL)]
    if to:
        queue_email(
            to=to,
            template_prefix="continuity/email/backup_problem",
            context={"subject": subject, "problem": problem, "archive_name": archive_name},
        )


def backup_nightly(*, now: dt.datetime | None = None) -> BackupRun:
    """Back up, prune by the retention policy, then verify the newest archive by restoring it.
    A failure of either is mailed to the data protection lead and shown on their page."""
    try:
        result = backup_create(trigger="nightly", now=now)
    except ContinuityError as exc:
        _tell_data_protection_lead(
            subject="Last night's backup failed", problem=str(exc), archive_name=""
        )
        return BackupRun.objects.filter(kind=RunKind.BACKUP).first()
    backup_prune(keep_also=result.path)
    verified = backup_verify(path=result.path, trigger="nightly")
    if not verified.ok:
        _tell_data_protection_lead(
            subject="A backup failed its restore test",
            problem="\n".join(verified.differences),
            archive_name=result.path.name,
        )
    return BackupRun.objects.filter(kind=RunKind.VERIFY).first()


# -- key contacts for a bad day ---------------------------------------------------------------

CONTACTS_LATEST = "key-contacts-latest.enc"
CONTACTS_KEEP = 6


def key_contacts_export(*, now: dt.datetime | None = None, trigger: str = "beat") -> BackupRun:
    """Write the encrypted key-contacts file (``contacts/key-contacts-latest.enc`` under the
    backup folder, plus a dated copy; the last few dated copies are kept)."""
    from . import contacts

    now = now or timezone.now()
    key = backup_key()
    tables = contacts.gather(now)
    sealed = crypto.encrypt_bytes(contacts.render(tables, now=now), key)
    folder = backup_dir() / "contacts"
    folder.mkdir(parents=True, exist_ok=True)
    dated = folder / f"key-contacts-{now.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}.enc"
    for target in (dated, folder / CONTACTS_LATEST):
        partial = target.with_name(target.name + ".partial")
        partial.write_bytes(sealed)
        partial.chmod(0o600)
        partial.replace(target)
    for old in sorted(folder.glob("key-contacts-2*.enc"), reverse=True)[CONTACTS_KEEP:]:
        old.unlink()
    return _record(
        kind=RunKind.CONTACTS,
        status=RunStatus.SUCCEEDED,
        started_at=now,
        finished_at=timezone.now(),
        trigger=trigger,
        archive_name=f"contacts/{CONTACTS_LATEST}",
        archive_bytes=len(sealed),
        rows=sum(len(t.rows) for t in tables),
    )


# -- handover to a successor Lead School -------------------------------------------------------


@dataclass
class HandoverExport:
    path: Path
    fingerprint: str
    manifest: dict
    run: BackupRun


def handover_key() -> str:
    from .handover import KEY_ENV

    try:
        return crypto.check_key(getattr(settings, "HUBOPS_HANDOVER_KEY", ""))
    except crypto.ArchiveError as exc:
        raise ContinuityError(
            str(exc)
            .replace(crypto.KEY_ENV, KEY_ENV)
            .replace("a long random string", "a passphrase agreed with the other Lead School")
        ) from None


def _package_models():
    from django.apps import apps

    from .handover import EXCLUDE

    chosen = []
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.proxy or not model._meta.managed:
            continue
        if model._meta.app_label in EXCLUDE or label in EXCLUDE:
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


def _personal_data_summary(models_in_package) -> tuple[list[str], int]:
    """The categories of personal data in the package and how many people it concerns
    (distinct email addresses across every model that records one, plus accounts)."""
    from hubops import personal_data

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
    from hubops.models import User

    emails |= {e.lower() for e in User.objects.values_list("email", flat=True)}
    # The privacy notice's order, in words short enough for the sharing log's one line.
    order = [str(c) for c in personal_data.Category]
    named = [SHORT_CATEGORY.get(c, c) for c in sorted(categories, key=order.index)]
    return named, len(emails)


def handover_export(
    *, path: Path, to: str, basis: str, purpose: str = "", actor=None
) -> HandoverExport:
    """Write the signed, encrypted handover package for the successor Lead School ``to`` and
    record the disclosure in the sharing log (which is itself in the package)."""
    from django.core.management import call_command
    from django.db import transaction

    from hubops import personal_data

    from . import handover

    key = handover_key()
    if not to.strip() or not basis.strip():
        raise ContinuityError("Say who receives the package (--to) and on what basis (--basis).")
    purpose = purpose or (
        "Transfer of the Maths Hub to the successor Lead School appointed by the DfE, so that "
        "its work continues unchanged for schools."
    )
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
            media_root=Path(settings.MEDIA_ROOT),
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


def _staff_accounts():
    from django.db.models import Q

    from hubops.models import User

    return User.objects.filter(
        Q(is_staff=True) | Q(is_superuser=True) | Q(groups__isnull=False)
    ).distinct()


def handover_import(
    *, path: Path, fingerprint: str, lead_school_urn: int | None = None
) -> HandoverImport:
    """Load a handover package into this fresh hubops (migrated, with no hub and no users).
    Staff accounts arrive disabled with no usable password; SLAs still running are flagged for
    renewal by the successor."""
    from django.apps import apps
    from django.core.management import call_command
    from django.db import transaction

    from hubops.models import School, User

    from . import handover

    key = handover_key()
    media_root = Path(settings.MEDIA_ROOT)
    if Hub.objects.exists() or User.objects.exists():
        raise ContinuityError(
            "This hubops already has a hub or user accounts: load a handover only into a fresh "
            "install (a new, migrated database with nothing in it)."
        )
    if media_root.exists() and any(media_root.iterdir()):
        raise ContinuityError(f"The media folder {media_root} is not empty: use an empty one.")
    today = timezone.localdate()
    with handover.temp_dir() as tmp:
        try:
            manifest = handover.read_package(
                path, key=key, into=Path(tmp), expected_fingerprint=fingerprint
            )
        except handover.HandoverError as exc:
            raise ContinuityError(f"Nothing was loaded: {exc}") from exc
        with transaction.atomic():
            # A fresh install's defaults (the role groups, letter templates) give way to the
            # outgoing hub's own rows.
            for label in manifest["counts"]:
                model = apps.get_model(label)
                if model._base_manager.exists():
                    model._base_manager.all().delete()
            call_command("loaddata", str(Path(tmp) / handover.DATA), verbosity=0)
            counts = {
                label: apps.get_model(label)._base_manager.count() for label in manifest["counts"]
            }
            wrong = {k: (counts[k], v) for k, v in manifest["counts"].items() if counts[k] != v}
            if wrong:
                raise ContinuityError(f"The loaded rows differ from the manifest: {wrong}")
            disabled = 0
            for user in _staff_accounts():
                user.is_active = False
                user.set_unusable_password()
                user.save(update_fields=["is_active", "password"])
                disabled += 1
            flagged = _flag_slas(today=today, source=manifest.get("hub") or {})
            if lead_school_urn:
                school = School.objects.filter(urn=lead_school_urn).first()
                if school is None:
                    raise ContinuityError(f"No school with URN {lead_school_urn} in the package.")
                Hub.objects.update(lead_school=school)
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
        _move_media(Path(tmp) / "media", media_root)
    return HandoverImport(
        manifest=manifest,
        rows=sum(counts.values()),
        files=len(manifest["files"]) - 1,
        staff_disabled=disabled,
        slas_flagged=flagged,
    )


def _flag_slas(*, today: dt.date, source: dict) -> int:
    from governance.models import ServiceLevelAgreement

    from .models import SlaRenewal

    flagged = 0
    running = ServiceLevelAgreement.objects.filter(ends_on__gte=today, terminated_on__isnull=True)
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


def sla_renewal_mark_renewed(*, renewal_id: int, actor, today: dt.date):
    """The successor has agreed a new SLA with this local leader."""
    from django.db import transaction

    from .models import SlaRenewal

    with transaction.atomic():
        renewal = SlaRenewal.objects.select_for_update().get(pk=renewal_id)
        if renewal.renewed_on is not None:
            raise ContinuityError("This SLA is already marked as renewed.")
        renewal.renewed_on = today
        renewal.save(update_fields=["renewed_on"])
        audit.record(actor, renewal, "continuity.sla_renewal.renewed")
    return renewal
