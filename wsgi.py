"""Entry point for production servers: `gunicorn wsgi:app`."""

from transparency import create_app

app = create_app()
