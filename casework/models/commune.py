"""A commune: the unit of access; every case and every local role belongs to one."""
from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import utcnow
from ..extensions import db
from .base import NEVER_REUSE_IDS, UTCDateTime


class Commune(db.Model):
    __tablename__ = "communes"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(8), unique=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    cercle: Mapped[str] = mapped_column(String(120))
    region: Mapped[str] = mapped_column(String(120))
    # The programme asks each commune's team to take on at least this many distinct conflicts.
    case_target: Mapped[int] = mapped_column(Integer, default=2, server_default="2")
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    def __repr__(self) -> str:
        return f"<Commune {self.code} {self.name}>"
