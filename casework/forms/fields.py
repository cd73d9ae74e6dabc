"""Field helpers shared by the forms: choices from a vocabulary, the hidden case version."""
from wtforms import HiddenField, IntegerField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange, Optional


def choices(vocabulary: dict, blank=None) -> list[SelectChoice]:
    """Options of a select from a vocabulary, with an empty first option when `blank` is given."""
    return options(vocabulary.items(), blank)


def options(pairs, blank=None) -> list[SelectChoice]:
    """Options from (value, label) pairs, e.g. built from the database by a view."""
    result = [SelectChoice(value, label) for value, label in pairs]
    return [SelectChoice("", blank), *result] if blank is not None else result


def optional_id(value):
    """A select's value as an id, or None for the blank choice."""
    return int(value) if value not in (None, "", "None") else None


class VersionField(HiddenField):
    """The version of the case the form was opened on (optimistic locking)."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        try:
            self.data = int(self.data) if self.data not in (None, "") else None
        except ValueError:
            self.data = None


def count_field(label, default=0):
    return IntegerField(label, default=default,
                        validators=[InputRequired(), NumberRange(min=0, max=100000)],
                        render_kw={"inputmode": "numeric", "min": 0})


def optional_count_field(label, default=0):
    return IntegerField(label, default=default,
                        validators=[Optional(), NumberRange(min=0, max=100000)],
                        render_kw={"inputmode": "numeric", "min": 0})
