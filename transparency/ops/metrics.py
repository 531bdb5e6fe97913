"""Prometheus metrics: requests and latency per endpoint, filings, publications, PDF render times,
and, read from the database at each scrape, the search outbox backlog and the audit head.

Counters and histograms live in this process; under gunicorn with PROMETHEUS_MULTIPROC_DIR set
(gunicorn.conf.py sets it) each worker writes them to files there and a scrape of any worker adds
them all up (prometheus_client's multiprocess mode). Filings and publications are counted when
their transaction commits, never for one that rolled back. The features are not imported: the
counts come from core.signals, and the request figures from Flask's `request_finished`.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from typing import Any

from flask import Flask, g, request, request_finished
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from transparency.audit.models import AuditEntry
from transparency.core import signals
from transparency.printing.models import PendingRender
from transparency.search.models import SearchOutbox

REQUESTS = Counter(
    "transparency_http_requests_total", "Requests answered", ["endpoint", "method", "status"], registry=None
)
LATENCY = Histogram(
    "transparency_http_request_duration_seconds",
    "Time from the first hook to the response",
    ["endpoint"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
    registry=None,
)
FILINGS = Counter("transparency_matters_filed_total", "Matters filed (committed)", registry=None)
PUBLICATIONS = Counter("transparency_disclosures_published_total", "Versions published (committed)", registry=None)
PDF_RENDER = Histogram(
    "transparency_pdf_render_seconds",
    "Time to render one PDF in the print process",
    ["kind"],
    buckets=(0.25, 0.5, 1, 2, 4, 8, 15, 25, 60),
    registry=None,
)
OWN_METRICS = (REQUESTS, LATENCY, FILINGS, PUBLICATIONS, PDF_RENDER)
_PENDING = "ops_metrics_pending"


class DatabaseFigures(Collector):
    """Figures read at scrape time, the same whichever process answers."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def collect(self) -> Iterator[GaugeMetricFamily]:
        with self.app.extensions["database"].readers() as session:
            backlog = session.scalar(select(func.count()).select_from(SearchOutbox)) or 0
            prints = session.scalar(select(func.count()).select_from(PendingRender)) or 0
            head = session.scalar(select(func.max(AuditEntry.seq))) or 0
        yield GaugeMetricFamily("transparency_search_outbox_pending", "Index writes waiting", value=backlog)
        yield GaugeMetricFamily("transparency_print_renders_pending", "Published prints not yet rendered", value=prints)
        yield GaugeMetricFamily("transparency_audit_head_sequence", "Sequence number of the chain head", value=head)


def exposition(app: Flask) -> bytes:
    """The metrics in Prometheus' text format."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    else:
        for metric in OWN_METRICS:
            registry.register(metric)
    registry.register(DatabaseFigures(app))
    return generate_latest(registry)


def _request_finished(sender: Flask, response: Any, **_extra: Any) -> None:
    endpoint = request.endpoint or "none"  # unknown paths share one label: no label per typo
    REQUESTS.labels(endpoint, request.method, str(response.status_code)).inc()
    started = g.get("request_started")
    if started is not None:
        LATENCY.labels(endpoint).observe(time.perf_counter() - started)


def _count_on_commit(session: Session, counter: Counter) -> None:
    session.info.setdefault(_PENDING, []).append(counter)


def _matter_filed(session: Session, **_extra: Any) -> None:
    _count_on_commit(session, FILINGS)


def _disclosure_published(session: Session, **_extra: Any) -> None:
    _count_on_commit(session, PUBLICATIONS)


def _pdf_rendered(_sender: Any, *, kind: str, seconds: float) -> None:
    PDF_RENDER.labels(kind).observe(seconds)


def _after_commit(session: Session) -> None:
    for counter in session.info.pop(_PENDING, []):
        counter.inc()


def _after_rollback(session: Session, _previous: object) -> None:
    if not session.in_transaction():  # the whole transaction, not a savepoint inside it
        session.info.pop(_PENDING, None)


def init_app(app: Flask) -> None:
    request_finished.connect(_request_finished, app)
    signals.matter_filed.connect(_matter_filed)
    signals.disclosure_published.connect(_disclosure_published)
    signals.pdf_rendered.connect(_pdf_rendered)
    for name, listener in (("after_commit", _after_commit), ("after_soft_rollback", _after_rollback)):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
