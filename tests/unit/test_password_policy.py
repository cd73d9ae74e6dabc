"""What a new password must be: at least 10 characters, not a common one; any script, any
length up to 256 (a passphrase in Bambara or N'Ko is welcome)."""
import pytest
from flask_babel import force_locale

from casework.errors import InvalidInput
from casework.services.accounts import check_new_password, common_passwords


@pytest.mark.parametrize("password", [
    "kɔnɔnina ɲɛnɛ", "ߒߞߏ ߞߊ߲ ߞߊ߲ߕߍ߫ ߘߐ߫", "correct horse battery staple " * 2,
    "x" * 64 + "é", "un mot de passe bien à moi",
])
def test_long_unicode_passwords_are_welcome(app, password):
    with app.app_context():
        assert check_new_password(password) == password


@pytest.mark.parametrize("password, reason", [
    ("court", "at least 10"), ("123456789", "at least 10"),
    ("1234567890", "most common"), ("Azertyuiop", "most common"), ("motdepasse", "most common"),
    ("PASSWORD123", "most common"), ("x" * 257, "at most 256"),
])
def test_short_common_or_huge_passwords_are_refused(app, password, reason):
    with app.test_request_context(), force_locale("en"):
        with pytest.raises(InvalidInput) as refused:
            check_new_password(password)
        assert reason in str(refused.value)


def test_the_shipped_list_is_read_and_long_enough(app):
    with app.app_context():
        words = common_passwords()
    assert len(words) > 1500 and all(len(word) >= 10 for word in words)
    assert all(word == word.lower() and not word.startswith("#") for word in words)
