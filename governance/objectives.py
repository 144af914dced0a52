"""Annex B of the DfE specification (Grant Offer Letter aims and objectives), line by line.

Each objective has a stable code. ``computed`` names the check in ``selectors`` that derives
its status from hubops' records; the others are assessed by staff (``ChecklistEntry``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Objective:
    code: str
    section: str
    text: str
    computed: str = ""


TEAM = "Maths Hub Leadership and Management team"
BOARD = "Strategic Board and partners"
LLME = "Local leaders of mathematics education (LLME)"
PLANNING = "Planning, monitoring and evaluation"
COMMS = "Communication, engagement and recruitment"
FINANCE = "Financial and data management"
NETWORK = "Working with the Maths Hubs Network, the NCETM, and the DfE"

OBJECTIVES: tuple[Objective, ...] = (
    Objective(
        "team-roles",
        TEAM,
        "People are appointed to each of the official MHLM roles required by the programme",
        "team_roles",
    ),
    Objective(
        "team-job-descriptions",
        TEAM,
        "Each member of the leadership and management team "
        "has a clear job description and understands the roles of their other team members "
        "using the supporting NCETM documentation",
        "job_descriptions",
    ),
    Objective(
        "team-induction",
        TEAM,
        "Anyone taking up a new role in the MHLM team participates "
        "fully in the NCETM Induction Programme",
        "induction",
    ),
    Objective("team-internal-induction", TEAM, "There are effective internal induction processes"),
    Objective(
        "team-capacity",
        TEAM,
        "The hub establishes the required full capacity leadership "
        "and management team at the beginning of the academic year",
        "capacity",
    ),
    Objective(
        "team-contingency",
        TEAM,
        "The hub has contingency plans to address the risk of "
        "unexpected loss of leadership and management capacity during the year",
        "contingency",
    ),
    Objective("board-chair", BOARD, "The hub appoints an independent Chair", "independent_chair"),
    Objective(
        "board-balance",
        BOARD,
        "The board has a balance of members (as outlined within the published terms of reference)",
        "board_balance",
    ),
    Objective(
        "board-published",
        BOARD,
        "Membership of the board is published on the hub's website",
        "board_published",
    ),
    Objective(
        "board-agenda-notes",
        BOARD,
        "The Chair and hub Senior Leadership Link work "
        "together to set the agenda and agree meeting notes",
        "agenda_notes",
    ),
    Objective(
        "board-three-meetings",
        BOARD,
        "The Strategic Board (operating within the published "
        "terms of reference) reviews the Maths Hub plans, delivery and evaluation three "
        "times per year",
        "three_meetings",
    ),
    Objective(
        "board-local-partners",
        BOARD,
        "The hub establishes working relationships with "
        "appropriate local partners to help increase its reach and sustain relationships "
        "with schools",
    ),
    Objective(
        "board-specialist",
        BOARD,
        "The hub draws upon organisations with specialist "
        "expertise such as universities and national programmes (e.g., AMSP) to help "
        "shape its work",
    ),
    Objective(
        "board-priority-areas",
        BOARD,
        "When hubs are working within formal priority "
        "areas (e.g., Education Investment Areas), they, in partnership with NCETM, work "
        "with local leadership to agree work that addresses identified priorities",
    ),
    Objective(
        "llme-recruit",
        LLME,
        "The hub identifies and recruits adequate numbers of Work "
        "Group, Cohort and Community Leads to implement its annual plan",
        "llme_recruited",
    ),
    Objective(
        "llme-development",
        LLME,
        "The hub ensures that LLME engage appropriately with the "
        "national LLME development programmes and NCP workshops",
    ),
    Objective(
        "llme-slas",
        LLME,
        "The hub ensures that Work Group, Cohort and Community Leads "
        "understand their role backed up by clear service level agreements",
        "llme_slas",
    ),
    Objective(
        "llme-community",
        LLME,
        "The hub establishes and sustains a professional community "
        "of local leaders of maths education",
    ),
    Objective(
        "plan-annual",
        PLANNING,
        "The annual plan is produced, revised and adapted at "
        "agreed points during the year in line with the Annual Planning Guidelines",
        "annual_plan",
    ),
    Objective(
        "plan-group-plans",
        PLANNING,
        "Work Group, Programme and Community plans are "
        "produced for all groups and uploaded on MHPod",
        "group_plans",
    ),
    Objective(
        "plan-quality",
        PLANNING,
        "The hub monitors the quality of the Work Group, Cohort "
        "and Community Leads' work and intervenes where appropriate",
    ),
    Objective(
        "plan-progress-reports",
        PLANNING,
        "The hub provides the regular progress reports "
        "required by the NCETM/DfE (at published dates), highlighting any issues regarding "
        "delivery and intended mitigating actions and discussing these with the NCETM at "
        "regular progress review meetings",
        "progress_reports",
    ),
    Objective(
        "plan-evaluation",
        PLANNING,
        "All participating schools, LLME and hub leadership "
        "understand and fulfil their responsibilities in contributing to the programme "
        "evaluation processes",
    ),
    Objective(
        "plan-evaluation-reports",
        PLANNING,
        "Work Group, Programme and Community evaluation "
        "reports are completed by their Leads using the standard report templates",
        "evaluation_reports",
    ),
    Objective(
        "plan-annual-reporting",
        PLANNING,
        "The hub completes the annual reporting required by the NCETM/DfE (at published date)",
        "annual_reporting",
    ),
    Objective(
        "comms-internal",
        COMMS,
        "The MHLM team systematically uses the programme's internal "
        "communications tools including the weekly Bulletin; the Programme Calendar; "
        "Knowledge Base and the relevant online communities",
    ),
    Objective(
        "comms-external",
        COMMS,
        "The hub uses external communication channels, such as "
        "websites; newsletters and social media to inform schools of the opportunities "
        "available",
    ),
    Objective(
        "comms-engagement",
        COMMS,
        "The hub uses engagement activities in order to recruit "
        "and retain schools for Work Groups and programmes",
    ),
    Objective(
        "comms-enquiries",
        COMMS,
        "The hub has clear processes for schools wishing to "
        "express interest or apply to participate and responds in a timely manner to "
        "enquiries and expressions of interest from schools",
    ),
    Objective(
        "comms-ncp-numbers",
        COMMS,
        "The hub recruits and retains the expected numbers of "
        "schools and/or participants agreed with the NCETM for defined NCPs",
    ),
    Objective(
        "finance-forecasts",
        FINANCE,
        "The hub provides ongoing forecasts and final figures "
        "for its expenditure within MHPod, reporting any risks of underspend/overspend and "
        "the contingency plans initiated",
        "forecasts",
    ),
    Objective(
        "finance-agreements",
        FINANCE,
        "Formal financial agreements with schools and "
        "individuals are in place for any payments that are made by the Maths Hub, "
        "including for leadership roles and participant schools that receive grants",
        "payment_agreements",
    ),
    Objective(
        "finance-audit",
        FINANCE,
        "An external audit of the Maths Hubs expenditure is "
        "carried out, within the expected window, as part of the DfE's Grant Funding "
        "Agreement Annex G requirement",
        "external_audit",
    ),
    Objective(
        "data-participation",
        FINANCE,
        "Participation data is recorded and reported as required by the NCETM within MHPod",
        "participation_returns",
    ),
    Objective(
        "data-dpia",
        FINANCE,
        "The hub completes a Data Protection Impact Assessment (DPIA) "
        "and consistently follows the requirements set out by the DfE (data controller) in "
        "its role as data processor, including GDPR compliance",
        "dpia_current",
    ),
    Objective(
        "data-loss",
        FINANCE,
        "The hub has a strategy to report and manage the loss of "
        "data, such as through a cyber-attack (Annex K data requirements)",
    ),
    Objective(
        "network-forums",
        NETWORK,
        "All MHLM team members participate fully in the "
        "appropriate national forums openly sharing successes and challenges from their "
        "practice",
    ),
    Objective(
        "network-slg",
        NETWORK,
        "The Maths Hub Lead (unless in first year of role) "
        "participates in a Strategic Leadership Group and acts as an MHL Link to a Maths "
        "Hubs Network Project",
    ),
    Objective(
        "network-reputation",
        NETWORK,
        "The NCETM is notified immediately of any issue that "
        "may cause a risk to the reputation of the Maths Hub or the wider programme",
    ),
    Objective(
        "network-eligibility",
        NETWORK,
        "The NCETM is informed in a timely manner of any "
        "risk to their lead school eligibility or intended changes to the MHLM team",
    ),
    Objective(
        "network-sll",
        NETWORK,
        "The Senior Leadership Link fully understands the "
        "expectations of the DfE as laid out in the grant funding agreement and ensures "
        "full understanding within the MHLM team",
    ),
)

BY_CODE = {o.code: o for o in OBJECTIVES}
