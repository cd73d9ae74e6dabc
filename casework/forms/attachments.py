"""The form that attaches a file to a case: the file, and an optional line saying what it is."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField
from wtforms.validators import Length, Optional

from .base import TextForm

# What the phone's file picker offers; the server still reads the content, not this list.
ACCEPT = "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"


class AttachmentForm(TextForm):
    file = FileField(_l("File (PDF, JPEG or PNG, 10 MB at most)"),
                     validators=[FileRequired(_l("Choose a file."))],
                     render_kw={"accept": ACCEPT})
    description = StringField(_l("What it is (optional)"),
                              validators=[Optional(), Length(max=160)],
                              render_kw={"maxlength": 160})
