"""The agreement as it is signed on paper in front of the village: the "procès-verbal de
conciliation", a PDF in French with the sign-offs recorded so far.

It heads like every paper of a Malian commune (the Republic, its motto), names each party with
its village and role and the witnesses, and keeps the terms and every signature block on one
page (with the place for the mairie's stamp) so that no signature stands on a page without what
it signs; every page is numbered "page 1/3" with a box to initial. It is dated by its approval
(the last sign-off); a proposal still waiting prints "PROJET — non signé" across each page, and
an agreement a follow-up visit found broken "ACCORD ROMPU le ...". The page (fonts, shaping,
marks for characters the font lacks) is casework/documents/paper.py.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import force_locale
from flask_babel import gettext as _
from fpdf.enums import XPos, YPos

from ..i18n import short_date
from ..models import Case, Proposal
from ..vocabulary import CONFLICT_TYPES, ROLES, label
from .paper import FONT, LINE, MISSING_MARK, Paper

# Room to sign or press a thumb in a block, and the mairie's stamp (a round stamp is ~40 mm).
SIGNATURE_HEIGHT = 16
STAMP_HEIGHT = 28
BLOCK_LINE = 4.5  # mm between the lines of a block
GAP = 4  # mm between blocks of a row


@dataclass
class Block:
    who: str
    role: str
    recorded: str | None = None
    room: float = SIGNATURE_HEIGHT


def broken_on(case: Case, proposal: Proposal) -> date | None:
    """The day a follow-up visit found this agreement broken, if one did."""
    days = [f.visit_date for f in case.follow_ups
            if f.proposal_id == proposal.id and f.outcome == "broken"]
    return min(days) if days else None


def _signoff_block(proposal: Proposal, role: str) -> Block:
    """Who signed for `role` and what the app recorded, or an empty line to fill by hand."""
    signoff = next((s for s in proposal.signoffs if s.role == role), None)
    if signoff is None:
        return Block("…" * 12, str(ROLES[role]), _("Not yet recorded in Palabre."))
    decision = (_("Approved in Palabre on %(date)s.", date=short_date(signoff.signed_at))
                if signoff.decision == "approve" else
                _("Rejected in Palabre on %(date)s.", date=short_date(signoff.signed_at)))
    return Block(signoff.user.full_name, str(ROLES[role]), decision)


def _party_line(party) -> str:
    details = []
    if party.village:
        details.append(_("village: %(village)s", village=party.village))
    if party.role:
        details.append(_("role: %(role)s", role=party.role))
    return f"– {party.name}" + (f" ({' · '.join(details)})" if details else "")


def _block_height(pdf: Paper, block: Block, width: float) -> float:
    lines = 0
    for style, size, text in _block_text(block):
        pdf.set_font(FONT, style, size)
        lines += len(pdf.multi_cell(width, BLOCK_LINE, text, align="L", dry_run=True,
                                    output="LINES"))
    return lines * BLOCK_LINE + block.room + 2


def _block_text(block: Block) -> list[tuple[str, float, str]]:
    text = [("B", 10, block.who), ("", 9, block.role)]
    if block.recorded:
        text.append(("", 9, block.recorded))
    return text


def _row_height(pdf: Paper, row: list[Block], columns: int) -> float:
    width = _column_width(pdf, columns)
    return max(_block_height(pdf, block, width - 3) for block in row) + GAP


def _column_width(pdf: Paper, columns: int) -> float:
    return (pdf.epw - GAP * (columns - 1)) / columns


def _draw_row(pdf: Paper, row: list[Block], columns: int) -> None:
    height = _row_height(pdf, row, columns) - GAP
    if pdf.will_page_break(height):
        pdf.add_page()
    top, width = pdf.get_y(), _column_width(pdf, columns)
    for index, block in enumerate(row):
        x = pdf.l_margin + index * (width + GAP)
        pdf.set_xy(x + 1.5, top + 1)
        for style, size, text in _block_text(block):
            pdf.set_font(FONT, style, size)
            pdf.multi_cell(width - 3, BLOCK_LINE, text, align="L", new_x=XPos.LEFT,
                           new_y=YPos.NEXT)
        pdf.rect(x, top, width, height)
    pdf.set_xy(pdf.l_margin, top + height + GAP)
    pdf.set_font(FONT, "", 10)


def _rows(case: Case, proposal: Proposal) -> list[tuple[list[Block], int]]:
    """The signature blocks, two to a row; the chief, the mayor and the stamp on the last."""
    people = ([Block(p.name, _("Party: signature or thumbprint")) for p in case.parties]
              + [Block(name, _("Witness: signature or thumbprint"))
                 for name in proposal.witness_names]
              + [Block(m.user.full_name, _("Mediator of the reconciliation team"))
                 for m in case.team])
    rows = [(people[i:i + 2], 2) for i in range(0, len(people), 2)]
    authorities = [_signoff_block(proposal, role)
                   for role in ("traditional_leader", "commune_authority")
                   if role in proposal.required_roles]
    authorities.append(Block(_("Stamp of the mairie"), _("Commune of %(commune)s",
                                                          commune=case.commune.name),
                             room=STAMP_HEIGHT))
    rows.append((authorities, 3))
    return rows


def _signatures(pdf: Paper, case: Case, proposal: Proposal) -> None:
    """The terms and every block that signs them: the caller keeps it on one page when it
    fits; when it cannot, the last blocks go with the authorities', never alone."""
    pdf.heading(_("Terms agreed"))
    pdf.paragraph(proposal.agreement_text)
    pdf.heading(_("Signatures"), 12)
    pdf.paragraph(_("The parties declare that they accept the terms above and will respect "
                    "them. The follow-up visits will check that the agreement holds."))
    place = f"{case.village}, {case.commune.name}"
    approved = proposal.approved_at
    pdf.paragraph(_("Done at %(place)s, on %(date)s", place=place, date=short_date(approved))
                  if approved else
                  _("Done at %(place)s, on ____ / ____ / ________", place=place))
    pdf.ln(2)
    rows = _rows(case, proposal)
    for index, (row, columns) in enumerate(rows):
        if index == len(rows) - 2:  # the row before the authorities' goes on their page
            both = _row_height(pdf, row, columns) + _row_height(pdf, *rows[-1])
            if pdf.will_page_break(both):
                pdf.add_page()
        _draw_row(pdf, row, columns)


def _fits_on_this_page(pdf: Paper, case: Case, proposal: Proposal) -> bool:
    """Whether the terms and signatures, started at the current height, end on this page:
    drawn first on a scratch copy of the page."""
    scratch = _paper(case)
    scratch.add_page()
    scratch.set_y(pdf.get_y())
    _signatures(scratch, case, proposal)
    return scratch.page == 1


def _paper(case: Case) -> Paper:
    pdf = Paper(footer_text=_("%(reference)s · page {page}/{pages}", reference=case.reference),
                initials_label=_("Initials:"))
    pdf.set_title(_("Conciliation record %(reference)s", reference=case.reference))
    return pdf


def _watermark(case: Case, proposal: Proposal) -> str | None:
    if proposal.status == "pending":
        return _("DRAFT — not signed")
    broken = broken_on(case, proposal)
    if broken is not None:
        return _("AGREEMENT BROKEN on %(date)s", date=short_date(broken))
    return None


def _head(pdf: Paper, case: Case, proposal: Proposal) -> None:
    pdf.centred(_("REPUBLIC OF MALI"), 10, "B")
    pdf.centred(_("One People – One Goal – One Faith"), 9)
    pdf.ln(1)
    pdf.centred(_("Region of %(region)s · Cercle of %(cercle)s", region=case.commune.region,
                  cercle=case.commune.cercle), 9)
    pdf.centred(_("Commune of %(commune)s · Reconciliation mechanism",
                  commune=case.commune.name), 9)
    pdf.ln(4)
    pdf.centred(_("Conciliation record"), 15, "B", 8)
    approved = proposal.approved_at
    pdf.centred(_("Reference %(reference)s · agreement approved on %(date)s",
                  reference=case.reference, date=short_date(approved)) if approved else
                _("Reference %(reference)s · proposed on %(date)s, waiting for its sign-offs",
                  reference=case.reference, date=short_date(proposal.proposed_at)),
                10, height=LINE)
    if pdf.watermark:
        pdf.centred(pdf.watermark, 10, "B", LINE)
    pdf.ln(3)


def render(case: Case, proposal: Proposal) -> bytes:
    """The record of `proposal` on `case`, in French whatever the reader's language."""
    with force_locale("fr"):
        pdf = _paper(case)
        pdf.watermark = _watermark(case, proposal)
        pdf.add_page()
        _head(pdf, case, proposal)
        pdf.field(_("Commune"), case.commune.name)
        pdf.field(_("Village or quarter"), case.village)
        pdf.field(_("Type of conflict"), str(label(CONFLICT_TYPES, case.conflict_type)))
        pdf.field(_("Date of the facts"), short_date(case.facts_date))

        pdf.heading(_("Parties"))
        for party in case.parties:
            pdf.paragraph(_party_line(party))
        pdf.heading(_("The facts in short"))
        pdf.paragraph(case.description)
        pdf.heading(_("Mediators"))
        mediators = [member.user.full_name for member in case.team]
        pdf.paragraph("\n".join(f"– {name}" for name in mediators) or "—")
        pdf.heading(_("Witnesses"))
        pdf.paragraph("\n".join(f"– {name}" for name in proposal.witness_names) or "—")

        if not _fits_on_this_page(pdf, case, proposal):
            pdf.add_page()
        _signatures(pdf, case, proposal)
        if pdf.missing_marks:
            pdf.ln(2)
            pdf.set_font(FONT, "", 8)
            pdf.paragraph(_("%(mark)s marks a character this document cannot print (an emoji, "
                            "a rare script): the case in Palabre shows it as typed.",
                            mark=MISSING_MARK))
        return bytes(pdf.output())
