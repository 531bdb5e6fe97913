"""The reference of the filing benchmark: the least a filing form can do (issue 16, target 3).

A Flask-WTF form with CSRF in a signed-cookie session, the same fields as 我要反映 (the village
picked from a list), one SQLAlchemy ORM insert per submission on SQLite, and a receipt with a
number and a code. benchmarks/complaints_benchmark.py runs it under the same gunicorn settings,
alternating with the product, and drives both with the same client code.

    REFERENCE_DATABASE_URL=sqlite:///ref.sqlite3 REFERENCE_VILLAGES=511399101201,511399101202 \\
        gunicorn benchmarks.filing_reference_app:app
"""

from __future__ import annotations

import hashlib
import os
import secrets

from flask import Flask, render_template_string
from flask_wtf import FlaskForm
from sqlalchemy import String, Text, create_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length


class Base(DeclarativeBase):
    pass


class Filing(Base):
    __tablename__ = "filing"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    village: Mapped[str] = mapped_column(String(12))
    title: Mapped[str] = mapped_column(String(60))
    body: Mapped[str] = mapped_column(Text)
    code_digest: Mapped[str] = mapped_column(String(64))
    form_token: Mapped[str | None] = mapped_column(String(64), unique=True)


VILLAGES = [(code, code) for code in os.environ.get("REFERENCE_VILLAGES", "511399101201").split(",")]
KINDS = [(kind, kind) for kind in ("suggestion", "question", "complaint", "report")]


class FilingForm(FlaskForm):
    kind = SelectField(choices=KINDS, validators=[DataRequired()])
    village = SelectField(choices=VILLAGES, validators=[DataRequired()])
    title = StringField(validators=[DataRequired(), Length(max=60)])
    body = TextAreaField(validators=[DataRequired(), Length(max=5000)])
    named_officials = StringField(validators=[Length(max=200)])
    contact_name = StringField(validators=[Length(max=50)])
    contact_phone = StringField(validators=[Length(max=30)])
    wants_public = BooleanField()
    website = StringField()  # the honeypot
    form_token = HiddenField()


PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>我要反映</title></head><body>
<form method="post" enctype="multipart/form-data">{{ form.csrf_token }}{{ form.form_token }}
{% for field in [form.kind, form.village, form.title, form.body, form.named_officials,
   form.contact_name, form.contact_phone, form.wants_public, form.website] %}
<p>{{ field.label }} {{ field() }}{% for e in field.errors %}<em>{{ e }}</em>{% endfor %}</p>{% endfor %}
<input type="file" name="photos" multiple><button>提交</button></form></body></html>"""
RECEIPT = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>已收到</title></head><body>
<p>编号 <b data-testid="tracking-number">{{ number }}</b></p>
<p>查询码 <b data-testid="tracking-code">{{ code }}</b></p><p>{{ title }}</p></body></html>"""

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY") or secrets.token_hex(32)
engine = create_engine(
    os.environ.get("REFERENCE_DATABASE_URL", "sqlite:///reference.sqlite3"), connect_args={"timeout": 30}
)
Base.metadata.create_all(engine)


@app.route("/complaints/new", methods=["GET", "POST"])
def new() -> str | tuple[str, int]:
    form = FilingForm()
    if form.validate_on_submit():
        code = secrets.token_hex(4)
        with Session(engine) as session:
            filing = Filing(
                kind=form.kind.data,
                village=form.village.data,
                title=form.title.data,
                body=form.body.data,
                code_digest=hashlib.sha256(code.encode()).hexdigest(),
                form_token=hashlib.sha256((form.form_token.data or secrets.token_hex()).encode()).hexdigest(),
            )
            session.add(filing)
            session.commit()
            number = f"R{filing.id:08d}"
        return render_template_string(RECEIPT, number=number, code=code, title=form.title.data)
    if not form.is_submitted():
        form.form_token.data = secrets.token_urlsafe(24)
    return render_template_string(PAGE, form=form), 200 if not form.is_submitted() else 422
