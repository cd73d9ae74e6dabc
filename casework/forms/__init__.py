"""Flask-WTF forms; every label goes through lazy_gettext."""
