"""The directory of services a case may be referred to (a health centre, the gendarmerie, a
legal aid clinic, the COFO...), one commune each, kept by the administrators; and their focal
points, the accounts that answer the referrals addressed to the service."""
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..extensions import db
from .base import NEVER_REUSE_IDS, UTCDateTime


class Service(db.Model):
    __tablename__ = "services"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(160))
    # One of vocabulary.SERVICE_KINDS.
    kind: Mapped[str] = mapped_column(String(32))
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"), index=True)
    # How the referring team reaches it: a phone, an address, office hours.
    contact: Mapped[str] = mapped_column(String(300), default="")
    # An inactive service keeps its referrals, and is offered for no new one.
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    commune = relationship("Commune")
    focal_points: Mapped[list["ServiceFocalPoint"]] = relationship(
        back_populates="service", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<Service {self.id} {self.kind}>"


class ServiceFocalPoint(db.Model):
    """A user who answers for a service (the role `service_focal_point`). Not a membership:
    a focal point holds no role in the commune, so no rule of the case work lets them see a
    case; they see only the referrals addressed to their service (access.py)."""

    __tablename__ = "service_focal_points"
    __table_args__ = (UniqueConstraint("service_id", "user_id"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    service: Mapped[Service] = relationship(back_populates="focal_points")
    user = relationship("User")
