"""A party to a conflict: a person, a family, a group or a whole community."""
from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import NEVER_REUSE_IDS


class Party(db.Model):
    __tablename__ = "parties"
    __table_args__ = (Index("ix_parties_sex_age_group", "sex", "age_group"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(160))
    sex: Mapped[str] = mapped_column(String(1))
    age_group: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))
    people_count: Mapped[int] = mapped_column(Integer, default=1)
    # Optional, printed on the procès-verbal: where the party lives when it is not the case's
    # village, and its role in the conflict ("plaignant", "représentant de la famille").
    village: Mapped[str] = mapped_column(String(160), default="", server_default="")
    role: Mapped[str] = mapped_column(String(120), default="", server_default="")

    case = relationship("Case", back_populates="parties")
