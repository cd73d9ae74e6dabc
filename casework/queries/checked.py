"""THE rule of which cases the figures count: every case but the reports by SMS or
KoboToolbox that nobody has checked yet, so that a flood of messages moves no figure and fills
no list."""
from __future__ import annotations

from sqlalchemy import select, union_all

from ..models import Case, CaseStateEntry, IntakeRecord
from .states import tagged

# What the figures count (the dashboard, the monthly report, their exports, the API's
# dashboard) and the lists of what waits: every case but the reports by SMS or KoboToolbox
# nobody has checked yet (services/verification.py). A report whose
# mediation started counts, checked or not: it no longer can be (before the check was asked
# first, some were not), and its team's work is real. Written on a case id, so that a figure
# read from another table keeps to it without joining the cases.
_MEDIATED = select(CaseStateEntry.id).where(CaseStateEntry.case_id == IntakeRecord.case_id,
                                            tagged(CaseStateEntry.state, "in_mediation"))
TO_CHECK = select(IntakeRecord.case_id).where(IntakeRecord.to_verify.is_(True), ~_MEDIATED.exists())
# A duplicate report merged into the case it repeats (services/merges.py): counted once, as
# that case, whose parties, steps and files it joined.
MERGED = select(Case.id).where(Case.merged_into_id.is_not(None))
# What no figure counts, and no list of what waits shows.
UNCOUNTED = union_all(TO_CHECK, MERGED)
CHECKED = Case.id.not_in(UNCOUNTED)
