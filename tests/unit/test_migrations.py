"""The migrations rebuild what they add from the data already there: an upgraded database
searches and counts exactly like one filled after the upgrade."""
import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from casework import create_app
from casework.demo import load_demo
from casework.extensions import db
from casework.models import CaseSearch, CaseStateEntry
from casework.services import summaries
from config import TestConfig

BEFORE_SEARCH_AND_ENTRIES = "38ccedb47ca0"
BEFORE_SUMMARY_TABLES = "b8d2f4a6c913"


def snapshot():
    entries = sorted((e.case_id, e.state, e.entered_at, e.commune_id,
                      round(e.days_after_report, 6))
                     for e in db.session.scalars(select(CaseStateEntry)))
    texts = sorted(db.session.execute(select(CaseSearch.case_id, CaseSearch.text)).all())
    return entries, texts


@pytest.mark.no_db
def test_search_text_and_state_entries_are_rebuilt_on_upgrade(tmp_path):
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'up.db'}")
    with app.app_context():
        upgrade()
        load_demo()
        db.session.commit()
        written_by_the_app = snapshot()
        db.session.remove()
        downgrade(revision=BEFORE_SEARCH_AND_ENTRIES)
        upgrade()
        assert snapshot() == written_by_the_app
        assert len(written_by_the_app[0]) > 50 and len(written_by_the_app[1]) > 20
        db.engine.dispose()


@pytest.mark.no_db
def test_summary_tables_are_filled_from_the_cases_on_upgrade(tmp_path):
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'up.db'}")
    with app.app_context():
        upgrade()
        load_demo()
        db.session.commit()
        kept = {name: summaries.kept(db.session.connection(), name)
                for name in summaries.KEPT_BY_FLUSH}
        db.session.remove()
        downgrade(revision=BEFORE_SUMMARY_TABLES)
        upgrade()
        assert summaries.differences(db.session.connection()) == []
        assert {name: summaries.kept(db.session.connection(), name)
                for name in summaries.KEPT_BY_FLUSH} == kept
        assert sum(kept["case_months"].values()) > 20
        db.session.remove()
        db.engine.dispose()
