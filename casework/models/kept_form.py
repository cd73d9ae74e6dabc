"""What a person typed into a form that arrived after their session ended, kept for them."""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import utcnow
from ..extensions import db
from .base import NEVER_REUSE_IDS, UTCDateTime


class KeptForm(db.Model):
    """One form's fields, bound to the person whose session ended (only they get it back, once,
    after signing in again), and dropped after `expires_at` or when someone else signs in on
    the phone. The fields are never logged nor put in a URL; the CSRF token is not kept."""

    __tablename__ = "kept_forms"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The path the form was sent to, where the form is shown again (a GET of the same path).
    path: Mapped[str] = mapped_column(String(400))
    # [[name, value], ...] in the order sent: a list of party rows keeps its order.
    fields: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)

    def __repr__(self) -> str:  # never the fields
        return f"<KeptForm {self.id} user={self.user_id} {self.path}>"
