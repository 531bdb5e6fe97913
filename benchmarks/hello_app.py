"""The reference of the page benchmarks: a bare Flask hello-world, run under the same gunicorn settings."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "Hello, World!"
