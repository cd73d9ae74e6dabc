"""`flask setup`, as `make run` calls it: the database, then where to open Palabre and three
demo accounts to try, with their role and the password."""
import pytest

from casework import create_app
from casework.demo import PASSWORD
from casework.extensions import db
from config import TestConfig


@pytest.mark.no_db
def test_setup_ends_with_the_address_and_three_demo_accounts(tmp_path):
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'run.db'}")
    runner = app.test_cli_runner()
    try:
        first = runner.invoke(args=["setup", "--url", "http://127.0.0.1:8000/"])
        assert first.exit_code == 0, first.output
        lines = first.output.splitlines()
        assert "demo data loaded" in first.output
        assert lines[-4].startswith("Palabre : ouvrez http://127.0.0.1:8000/")
        assert PASSWORD in lines[-4]
        accounts = [line.split()[0] for line in lines[-3:]]
        assert accounts == ["mediateur.bougouni", "maire.bougouni", "coordination"]
        assert "médiateur" in lines[-3] and "maire" in lines[-2] and "deux facteurs" in lines[-1]

        again = runner.invoke(args=["setup"])  # nothing entered changes; the default address
        assert again.exit_code == 0, again.output
        assert "up to date" in again.output
        assert "Palabre : ouvrez http://127.0.0.1:5000/ et connectez-vous" in again.output

        runner.invoke(args=["disable-demo-accounts"])
        quiet = runner.invoke(args=["setup"])  # no demo account to suggest any more
        assert quiet.output.splitlines()[-1] == "Palabre : ouvrez http://127.0.0.1:5000/"
    finally:
        with app.app_context():
            db.engine.dispose()
