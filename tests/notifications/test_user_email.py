"""The administrator records where a person's e-mails go; a malformed address is refused."""
import pytest

from casework.errors import InvalidInput
from casework.extensions import db
from casework.services import accounts
from tests.functional.pages import text


@pytest.fixture
def as_admin(client, login, make_user):
    return login(make_user(is_admin=True))


def test_the_admin_sets_and_clears_an_email(as_admin, people):
    user = people.mayor
    form = dict(full_name=user.full_name, sex="", phone="", email="  maire@bougouni.ml ")
    assert as_admin.post(f"/admin/users/{user.id}", data=form).status_code == 302
    db.session.refresh(user)
    assert user.email == "maire@bougouni.ml"
    assert 'value="maire@bougouni.ml"' in as_admin.get(f"/admin/users/{user.id}").get_data(
        as_text=True)
    assert as_admin.post(f"/admin/users/{user.id}", data={**form, "email": ""}).status_code == 302
    db.session.refresh(user)
    assert user.email is None


@pytest.mark.parametrize("typed", ["maire", "maire@", "a@b", "un maire@mairie.ml",
                                   "a@mairie.ml, b@mairie.ml", "<a@mairie.ml>"])
def test_a_malformed_email_is_refused_and_kept_on_screen(as_admin, people, typed):
    user = people.mayor
    response = as_admin.post(f"/admin/users/{user.id}",
                             data=dict(full_name=user.full_name, sex="", phone="", email=typed))
    assert response.status_code == 400
    assert "Cette adresse e-mail n'est pas valide." in text(response)
    db.session.refresh(user)
    assert user.email is None


def test_a_new_account_can_carry_an_email(app):
    user = accounts.create_user(None, username="awa", full_name="Awa", password="une-longue-phrase",
                                email="awa@mairie.ml")
    assert user.email == "awa@mairie.ml"
    with pytest.raises(InvalidInput) as refused:
        accounts.create_user(None, username="moussa", full_name="Moussa",
                             password="une-longue-phrase", email="moussa@")
    assert refused.value.field == "email"
