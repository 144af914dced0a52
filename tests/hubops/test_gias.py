"""The GIAS importer: real files, re-import, closures, --la, and bad files."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from hubops.gias import GiasFileError, import_bytes, normalise_phase, parse_date
from hubops.models import School
from tests.conftest import DATA, DEMO_GIAS

EIGHT = DEMO_GIAS / "gias_full_header_8_schools.csv"

pytestmark = pytest.mark.django_db


def run(path, *args):
    out = StringIO()
    call_command("import_gias", str(path), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_eight_school_file_then_reimport_says_no_changes():
    first = run(EIGHT)
    assert "7 new" in first
    assert "British schools overseas" in first
    assert School.objects.count() == 7
    second = run(EIGHT)
    assert "No changes: 7 schools already up to date." in second
    assert School.objects.count() == 7


def test_quoted_2019_and_childrens_centres():
    assert "4 new" in run(DEMO_GIAS / "gias_2019_quoted_4_schools.csv")
    out = run(DATA / "gias" / "gias_childrens_centres_2992.csv")
    assert "2,298 children's centres" in out
    assert School.objects.count() == 4


def test_closed_school_is_marked_closed_not_deleted():
    data = EIGHT.read_bytes()
    import_bytes(data)
    school = School.objects.filter(status="open").first()
    text = data.decode("cp1252")
    lines = text.splitlines(keepends=True)
    changed = [
        line.replace(",Open,", ",Closed,", 1) if line.startswith(f"{school.urn},") else line
        for line in lines
    ]
    result = import_bytes("".join(changed).encode("cp1252"))
    school.refresh_from_db()
    assert result.updated == 1
    assert school.status == "closed"
    assert School.objects.count() == 7


def test_la_filter():
    import_bytes(EIGHT.read_bytes(), la_codes=["999"])
    assert School.objects.count() == 0


@pytest.mark.parametrize(
    "data",
    [
        "URN,Name\n1,x\n".encode("utf-16"),
        bytes(range(256)) * 4,
        b"",
        b'{"URN": 1}',
        b"EstablishmentName\nA school\n",
    ],
)
def test_bad_files_give_one_message_and_change_nothing(data, tmp_path):
    with pytest.raises(GiasFileError):
        import_bytes(data)
    path = tmp_path / "bad.csv"
    path.write_bytes(data)
    with pytest.raises(CommandError):
        run(path)
    assert School.objects.count() == 0


def test_phase_and_date_normalisation():
    assert normalise_phase("All Through") == normalise_phase("All-through")
    assert normalise_phase("16 Plus") == normalise_phase("16 plus")
    assert parse_date("01-09-2020").isoformat() == "2020-09-01"


def test_bench_generator_writes_an_extract_the_importer_reads(tmp_path):
    """bench/make_gias_csv.py (the 52,000-row benchmark's file) writes the real header in the
    real encoding; a small run of it imports like a real download."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    out = tmp_path / "edubasealldata.csv"
    generator = ROOT / "bench" / "make_gias_csv.py"
    subprocess.run([sys.executable, str(generator), str(out), "--rows", "300"], check=True)
    header = out.read_bytes().split(b"\r\n", 1)[0].split(b"\n", 1)[0].decode("cp1252")
    columns = (ROOT / "bench" / "data" / "edubasealldata_columns_2025.txt").read_text()
    assert header.replace('"', "").split(",") == [c for c in columns.splitlines() if c]
    summary = run(out)
    assert "new" in summary
    assert 0 < School.objects.count() <= 300
