"""The WSGI entry point: what gunicorn and `flask --app wsgi` load."""
from casework import create_app

app = create_app()
