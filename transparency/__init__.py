"""村务公开 — a village-affairs transparency site for one county."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the application: configuration, extensions, then one blueprint per capability."""
    app = Flask(
        __name__,
        # Where the SQLite file, the demo secret key and (later) the search index live.
        instance_path=os.environ.get("TRANSPARENCY_INSTANCE_PATH") or None,
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )

    from transparency.core import config

    config.load(app, test_config)
    from transparency.core import logs

    logs.init_app(app)  # one JSON object per line, with the request id

    from transparency import models
    from transparency.audit import subscriptions as audit_subscriptions
    from transparency.core import errors, i18n, page_cache, public_output, security, site_files, templating
    from transparency.core.db import db

    assert models.metadata is not None  # every model is mapped before the first query
    db.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    templating.init_app(app)
    site_files.init_app(app)  # /favicon.ico
    public_output.init_app(app)
    page_cache.init_app(app)  # public pages rendered once per change (issue 16)
    audit_subscriptions.connect()  # the log records what accounts and areas announce
    from transparency.disclosures import redaction as disclosure_redaction

    disclosure_redaction.connect()  # a text redacted from the log is redacted on the versions too
    from transparency.portal import revision_subscriptions

    revision_subscriptions.connect()  # publications, matters, areas and rules move the public pages' revisions
    from transparency.obligations import status_subscriptions

    status_subscriptions.connect()  # the dashboards' stored status follows publications, matters, areas, rules

    from transparency.accounts.blueprint import bp as accounts_bp
    from transparency.admin.blueprint import bp as admin_bp
    from transparency.api.blueprint import bp as api_bp
    from transparency.audit.blueprint import bp as audit_bp
    from transparency.charts.blueprint import bp as charts_bp
    from transparency.complaints import (
        case_file,  # noqa: F401 (its routes join the handlers' blueprint)
        tracking,  # noqa: F401 (its routes join the complaints blueprint)
    )
    from transparency.complaints.blueprint import bp as complaints_bp
    from transparency.complaints.manage import bp as complaints_manage_bp
    from transparency.dataio.blueprint import bp as dataio_bp
    from transparency.disclosures import (
        published_memo,
        version_steps,  # noqa: F401 (its routes join the staff blueprint)
    )
    from transparency.disclosures.blueprint import bp as disclosures_bp
    from transparency.disclosures.manage import bp as manage_bp
    from transparency.feeds.blueprint import bp as feeds_bp
    from transparency.inspection.blueprint import bp as inspection_bp
    from transparency.obligations import blueprint as obligations
    from transparency.portal.blueprint import bp as portal_bp
    from transparency.printing.blueprint import bp as printing_bp
    from transparency.search import service as search
    from transparency.search.blueprint import bp as search_bp
    from transparency.workbench.blueprint import bp as workbench_bp

    for blueprint in (
        portal_bp,  # the public site: villages and their disclosures
        disclosures_bp,
        charts_bp,
        printing_bp,  # 打印公示 and complaint receipts
        complaints_bp,  # 我要反映, tracking, public matters
        search_bp,
        feeds_bp,
        api_bp,  # /api/v1 (open data)
        audit_bp,  # the chain head, the log export
        accounts_bp,  # staff
        workbench_bp,  # each role's landing page and tools
        manage_bp,
        complaints_manage_bp,
        dataio_bp,  # spreadsheet import and downloads
        inspection_bp,  # inspectors' dashboard and log browser
        admin_bp,
    ):
        app.register_blueprint(blueprint)
    obligations.init_app(app)  # the disclosure calendar
    published_memo.init_app(app)  # a published version's tables and charts, worked out once
    search.init_app(app)
    from transparency.ops import blueprint as ops

    ops.init_app(app)  # /healthz, /readyz, /metrics

    from transparency import commands

    commands.init_app(app)
    from transparency.core import request_cycle

    request_cycle.init_app(app)  # last: its commit runs before every other after-request hook
    return app
