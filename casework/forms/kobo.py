"""The form that uploads a file of KoboToolbox / ODK submissions."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField

from .base import TextForm

ACCEPT = ".csv,.xlsx,.json,text/csv,application/json"


class KoboImportForm(TextForm):
    file = FileField(_l("Export of the submissions (CSV, XLSX or JSON, 5 MB at most)"),
                     validators=[FileRequired(_l("Choose a file."))],
                     render_kw={"accept": ACCEPT})
    dry_run = BooleanField(_l("Only check the file, save nothing"))
