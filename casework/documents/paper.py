"""The page every printed document of Palabre stands on: A4, the embedded DejaVu Sans (licence
in casework/data/fonts), text shaped by HarfBuzz so that right-to-left scripts (names written in
Arabic script) print joined and in their order, pages numbered "page 1/3" with a place to
initial, and a mark across the page when the paper is not (or no longer) a valid agreement.

A character the font cannot print never vanishes: it prints as MISSING_MARK, and the document
says what the mark means (`missing_marks`).
"""
from __future__ import annotations

import unicodedata
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

FONTS = Path(__file__).resolve().parent.parent / "data" / "fonts"
FONT = "DejaVu"
LINE = 5.5  # mm between lines of body text
# Printed instead of a character the font has no glyph for (an emoji, a rare script).
MISSING_MARK = "\u25a1"  # □


class Paper(FPDF):
    def __init__(self, *, footer_text: str, initials_label: str):
        super().__init__(format="A4")
        self.footer_text = footer_text
        self.initials_label = initials_label
        self.watermark: str | None = None
        self.missing_marks = 0
        self.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        # A French paper: every paragraph reads left to right, a name in Arabic script within
        # it right to left (the bidirectional algorithm), its letters joined by HarfBuzz.
        self.set_text_shaping(True, direction="ltr")
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(True, margin=22)
        self.set_lang("fr")
        self.set_creator("Palabre")

    def normalize_text(self, text: str) -> str:
        """Every character the current font cannot print becomes MISSING_MARK; an invisible
        format character it lacks (a joiner, a variation selector) is left out."""
        cmap = getattr(self.current_font, "cmap", None)
        if cmap is not None and text:
            kept = []
            for char in text:
                if ord(char) in cmap or char in "\n\r\t":
                    kept.append(char)
                elif unicodedata.category(char) in ("Cf", "Mn", "Me"):
                    continue
                else:
                    kept.append(MISSING_MARK)
                    self.missing_marks += 1
            text = "".join(kept)
        return super().normalize_text(text)

    def header(self):
        if self.watermark:
            with self.local_context(text_color=(190, 40, 40), fill_opacity=0.35):
                self.set_font(FONT, "B", 30)
                with self.rotation(35, x=self.w / 2, y=self.h / 2):
                    width = self.get_string_width(self.watermark)
                    self.text(self.w / 2 - width / 2, self.h / 2, self.watermark)
            self.set_font(FONT, "", 10)

    def footer(self):
        self.set_y(-16)
        self.set_font(FONT, "", 8)
        self.cell(0, 5, self.footer_text.format(page=self.page_no(), pages="{nb}"),
                  align="L")
        self.set_x(self.w - self.r_margin - 60)
        self.cell(60, 5, self.initials_label, align="R")
        # The box where each party and signatory initials the page.
        self.rect(self.w - self.r_margin - 60, self.h - 16 + 5.5, 60, 8)

    def heading(self, text: str, size: float = 11) -> None:
        self.ln(2)
        self.set_font(FONT, "B", size)
        self.multi_cell(0, LINE + 1, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT, "", 10)

    def paragraph(self, text: str, **kwargs) -> None:
        self.multi_cell(0, LINE, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT, **kwargs)

    def centred(self, text: str, size: float, style: str = "", height: float = 4.5) -> None:
        self.set_font(FONT, style, size)
        self.multi_cell(0, height, text, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def field(self, name: str, value: str) -> None:
        """`Name: value` on one line (the value wraps below it when long)."""
        self.set_font(FONT, "B", 10)
        self.write(LINE, f"{name} : ")
        self.set_font(FONT, "", 10)
        self.write(LINE, value or "—")
        self.ln(LINE)
