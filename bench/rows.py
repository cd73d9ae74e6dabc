"""The tables the generator fills (COLUMNS) and the rows waiting to be written (Rows)."""
from __future__ import annotations

from datetime import date

# The columns written, per table, in an order where every foreign key points backwards.
COLUMNS = {
    "communes": ("id", "code", "name", "cercle", "region", "created_at"),
    "users": ("id", "username", "full_name", "sex", "phone", "password_hash", "language",
              "is_admin", "active", "must_change_password", "is_demo", "session_nonce",
              "created_at", "last_login_at", "totp_secret", "totp_confirmed_at"),
    "memberships": ("id", "user_id", "commune_id", "role", "created_at"),
    "cases": ("id", "reference", "commune_id", "year", "sequence", "village", "conflict_type",
              "facts_date", "description", "violence", "injuries", "deaths", "urgency",
              "reporter_name", "reporter_contact", "channel", "confidential", "workflow",
              "workflow_version", "status", "status_changed_at", "referral_target",
              "decision_note", "created_by_id", "created_at", "updated_at", "version"),
    "case_search": ("case_id", "text"),
    "parties": ("id", "case_id", "position", "name", "sex", "age_group", "kind",
                "people_count"),
    "team_members": ("id", "case_id", "user_id", "assigned_by_id", "assigned_at"),
    "mediation_steps": ("id", "case_id", "step_date", "kind", "place", "women", "men",
                        "young_women", "young_men", "summary", "outcome", "next_step",
                        "next_step_date", "created_by_id", "created_at"),
    "proposals": ("id", "case_id", "trigger", "from_state", "to_state", "agreement_text",
                  "required_roles", "status", "proposed_by_id", "proposed_at", "decided_at"),
    "signoffs": ("id", "proposal_id", "role", "user_id", "decision", "comment", "signed_at"),
    "follow_ups": ("id", "case_id", "proposal_id", "milestone_days", "visit_date", "outcome",
                   "notes", "created_by_id", "created_at"),
    "case_state_entries": ("id", "case_id", "commune_id", "days_after_report", "state",
                           "entered_at"),
    "events": ("id", "created_at", "kind", "actor_id", "case_id", "data"),
    "participation_months": ("id", "commune_id", "month", "women", "men", "young_women",
                             "young_men"),
}


class Rows:
    """Rows waiting to be written, per table; the last id given and the rows taken, per table."""

    def __init__(self):
        self.last_id = dict.fromkeys(COLUMNS, 0)
        self.taken = dict.fromkeys(COLUMNS, 0)
        self.pending: dict[str, list] = {table: [] for table in COLUMNS}
        # Participants per (commune, month), written once all steps are: the app's running totals.
        self.participation: dict[tuple[int, str], list[int]] = {}

    def new_id(self, table: str) -> int:
        self.last_id[table] += 1
        return self.last_id[table]

    def add(self, table: str, *values) -> int:
        """Add a row (its id first, then `values` in COLUMNS order); returns the id."""
        row_id = self.new_id(table)
        self.pending[table].append((row_id, *values))
        return row_id

    def put(self, table: str, row: tuple) -> None:
        """Add a row whose id was given elsewhere (new_id, or the case plans)."""
        self.pending[table].append(row)

    def count_participants(self, commune_id: int, day: date, counts: tuple[int, ...]) -> None:
        totals = self.participation.setdefault((commune_id, day.strftime("%Y-%m")), [0] * 4)
        totals[:] = [total + count for total, count in zip(totals, counts, strict=True)]

    def add_participation(self) -> None:
        for (commune_id, month), totals in sorted(self.participation.items()):
            self.add("participation_months", commune_id, month, *totals)

    def take(self) -> dict[str, list]:
        pending, self.pending = self.pending, {table: [] for table in COLUMNS}
        for table, rows in pending.items():
            self.taken[table] += len(rows)
        return pending
