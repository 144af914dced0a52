"""docs/DESIGN.md prints every machine's table; the tables come from the code, so a change to
a rule that is not also made in the design document fails here (with the table to paste)."""

from __future__ import annotations

from pathlib import Path

import pytest

from complaints import workflow as complaints
from governance import workflow as governance
from privacy import workflow as privacy
from reports import workflow as reports
from workgroups import workflow as workgroups

DESIGN = Path(__file__).resolve().parents[2] / "docs" / "DESIGN.md"

MACHINES = {
    "complaints/workflow.py MACHINE": complaints.MACHINE,
    "workgroups/workflow.py REGISTRATION": workgroups.REGISTRATION,
    "workgroups/workflow.py WORK_GROUP": workgroups.WORK_GROUP,
    "workgroups/workflow.py SESSION": workgroups.SESSION,
    "privacy/workflow.py REQUEST_MACHINE": privacy.REQUEST_MACHINE,
    "privacy/workflow.py BREACH_MACHINE": privacy.BREACH_MACHINE,
    "governance/workflow.py MEETING": governance.MEETING,
    "reports/workflow.py MACHINE": reports.MACHINE,
}


@pytest.mark.parametrize("name", MACHINES)
def test_the_design_document_prints_each_machine_as_the_code_has_it(name):
    table = MACHINES[name].markdown()
    text = DESIGN.read_text(encoding="utf-8")
    assert table in text, f"docs/DESIGN.md: the table of {name} should read:\n\n{table}\n"
