"""The demo is loaded only into a database that holds none of its communes (apart from
tests/unit/test_demo.py, whose tests all share one loaded demo)."""
from __future__ import annotations

import pytest

from casework.demo import DemoAlreadyLoaded, load_demo
from casework.extensions import db
from casework.models import User


def test_an_existing_demo_commune_alone_blocks_the_load(make_commune):
    make_commune(code="SKS", name="Sikasso", cercle="Sikasso")
    with pytest.raises(DemoAlreadyLoaded, match="SKS"):
        load_demo()
    assert db.session.query(User).count() == 0


