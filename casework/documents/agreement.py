"""The agreement as it is signed on paper in front of the village: the "procès-verbal de
conciliation", a PDF in French with the sign-offs recorded so far.

The font (DejaVu Sans, casework/data/fonts, licence beside it) is embedded, so that names with
Bambara letters (ɛ ɔ ɲ ŋ) print as written whatever the reader's phone or printer has.
"""
from __future__ import annotations

from pathlib import Path

from flask_babel import force_locale, gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from ..i18n import short_date
from ..models import Case, Proposal
from ..vocabulary import CONFLICT_TYPES, ROLES, label

FONTS = Path(__file__).resolve().parent.parent / "data" / "fonts"
FONT = "DejaVu"
LINE = 5.5  # mm between lines of body text
# A party's block for a signature or a thumbprint, as people sign in the villages.
SIGNATURE_HEIGHT = 16


class _Document(FPDF):
    def __init__(self, case: Case):
        super().__init__(format="A4")
        self.case = case
        self.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(True, margin=18)
        self.set_lang("fr")
        self.set_creator("Palabre")
        self.set_title(_("Conciliation record %(reference)s", reference=case.reference))

    def footer(self):
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.cell(0, 5, _("%(reference)s · page %(page)d of %(pages)s",
                          reference=self.case.reference, page=self.page_no(), pages="{nb}"),
                  align="C")

    def heading(self, text: str, size: float = 11) -> None:
        self.ln(2)
        self.set_font(FONT, "B", size)
        self.multi_cell(0, LINE + 1, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT, "", 10)

    def paragraph(self, text: str) -> None:
        self.multi_cell(0, LINE, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def field(self, name: str, value: str) -> None:
        self.set_font(FONT, "B", 10)
        self.multi_cell(0, LINE, name, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT, "", 10)
        self.multi_cell(0, LINE, value or "—", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def signature_block(self, who: str, role: str, recorded: str | None = None) -> None:
        """A framed block: who signs, in what capacity, what the app recorded, room to sign."""
        height = SIGNATURE_HEIGHT + (LINE if recorded else 0) + 2 * LINE
        if self.will_page_break(height):
            self.add_page()
        top = self.get_y()
        self.set_font(FONT, "B", 10)
        self.multi_cell(0, LINE, who, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT, "", 9)
        self.multi_cell(0, LINE, role, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if recorded:
            self.multi_cell(0, LINE, recorded, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(SIGNATURE_HEIGHT)
        self.rect(self.l_margin, top - 1, self.epw, self.get_y() - top + 1)
        self.ln(3)
        self.set_font(FONT, "", 10)


def _signoff_line(proposal: Proposal, role: str) -> tuple[str, str | None]:
    """Who signed for `role` and what the app recorded, or an empty line to fill by hand."""
    signoff = next((s for s in proposal.signoffs if s.role == role), None)
    if signoff is None:
        return "…" * 20, _("Not yet recorded in Palabre.")
    decision = (_("Approved in Palabre on %(date)s.", date=short_date(signoff.signed_at))
                if signoff.decision == "approve" else
                _("Rejected in Palabre on %(date)s.", date=short_date(signoff.signed_at)))
    return signoff.user.full_name, decision


def render(case: Case, proposal: Proposal) -> bytes:
    """The record of `proposal` on `case`, in French whatever the reader's language."""
    with force_locale("fr"):
        pdf = _Document(case)
        pdf.add_page()
        pdf.set_font(FONT, "", 9)
        pdf.multi_cell(0, 4.5, _("Republic of Mali · Region of %(region)s · Cercle of %(cercle)s",
                                 region=case.commune.region, cercle=case.commune.cercle),
                       align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.multi_cell(0, 4.5, _("Commune of %(commune)s · Reconciliation mechanism",
                                 commune=case.commune.name),
                       align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(4)
        pdf.set_font(FONT, "B", 15)
        pdf.multi_cell(0, 8, _("Conciliation record"), align="C",
                       new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(FONT, "", 10)
        pdf.multi_cell(0, LINE, _("Reference %(reference)s · proposed on %(date)s",
                                  reference=case.reference, date=short_date(proposal.proposed_at)),
                       align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(3)

        pdf.field(_("Commune"), case.commune.name)
        pdf.field(_("Village or quarter"), case.village)
        pdf.field(_("Type of conflict"), str(label(CONFLICT_TYPES, case.conflict_type)))
        pdf.field(_("Date of the facts"), short_date(case.facts_date))

        pdf.heading(_("Parties"))
        for party in case.parties:
            pdf.paragraph(f"– {party.name}")
        pdf.heading(_("The facts in short"))
        pdf.paragraph(case.description)
        pdf.heading(_("Terms agreed"))
        pdf.paragraph(proposal.agreement_text)
        pdf.heading(_("Mediators"))
        mediators = [member.user for member in case.team]
        for user in mediators:
            pdf.paragraph(f"– {user.full_name}")
        if not mediators:
            pdf.paragraph("—")

        pdf.heading(_("Signatures"), 12)
        pdf.paragraph(_("The parties declare that they accept the terms above and will respect "
                        "them. The follow-up visits will check that the agreement holds."))
        pdf.paragraph(_("Done at %(place)s, on ____ / ____ / ________",
                        place=f"{case.village}, {case.commune.name}"))
        pdf.ln(2)
        for party in case.parties:
            pdf.signature_block(party.name, _("Party: signature or thumbprint"))
        for user in mediators:
            pdf.signature_block(user.full_name, _("Mediator of the reconciliation team"))
        for role in ("traditional_leader", "commune_authority"):
            if role in proposal.required_roles:
                who, recorded = _signoff_line(proposal, role)
                pdf.signature_block(who, str(ROLES[role]), recorded)
        return bytes(pdf.output())
