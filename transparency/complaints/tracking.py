"""Following a matter with its number and code: the status page and the complainant's own steps
(补充, 评价, 申请复查, 申请复核).

The secret code never travels in a URL or a cookie: the status page is the answer to a POST,
and its own forms carry number and code back in their bodies.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import g, render_template, request
from flask_babel import gettext as _

from transparency.complaints import codes, services
from transparency.complaints.blueprint import (
    UNPROCESSABLE,
    PageResponse,
    bp,
    private_page,
    tracking_limit,
    uploaded_photos,
)
from transparency.complaints.deadlines import deadlines, finality, today
from transparency.complaints.forms import (
    AddInformationForm,
    RateForm,
    ReReviewRequestForm,
    ReviewRequestForm,
    TrackForm,
)
from transparency.complaints.models import Matter, Rating
from transparency.complaints.services import NotAllowed
from transparency.core.db import db
from transparency.core.security import limiter, public
from transparency.core.uploads import RejectedUpload


def _found(form: TrackForm, *, for_update: bool = False) -> Matter | None:
    found = services.find_by_tracking(
        db.session, form.number.data, form.code.data, viewer=g.account, for_update=for_update
    )
    return found[0] if found else None


def _status_page(matter: Matter, form: TrackForm, message: str | None = None, status: int = 200) -> PageResponse:
    number, code = matter.number, codes.normalise_code(form.code.data)
    hidden = {"number": number, "code": code}
    when = today()
    body = render_template(
        "complaints/status.html",
        matter=matter,
        hidden=hidden,
        deadlines=deadlines(matter),
        today=when,
        message=message,
        # A refused addition keeps what the villager typed (the photos must be chosen again).
        info_form=AddInformationForm(
            formdata=None,
            text=form.text.data if isinstance(form, AddInformationForm) and status != 200 else None,
            **hidden,
        ),
        rate_form=RateForm(formdata=None, **hidden),
        review_form=ReviewRequestForm(formdata=None, **hidden),
        re_review_form=ReReviewRequestForm(formdata=None, **hidden),
        may_rate=services.may_rate(matter),
        may_request_review=services.may_request_review(matter, when),
        may_request_re_review=services.may_request_re_review(matter, when),
        review_level=services.review_level(matter),
        final=finality(matter, when),
        ratings=list(Rating),
    )
    return private_page(body, status)


@bp.route("/track", methods=["GET", "POST"])
@limiter.limit(tracking_limit, methods=["POST"])
@public
def track():
    form = TrackForm()
    if form.validate_on_submit():
        matter = _found(form)
        if matter is not None:
            return _status_page(matter, form)
        form.code.errors = [_("受理编号或查询码不对，请核对后再试")]
    status = UNPROCESSABLE if request.method == "POST" else 200
    return private_page(render_template("complaints/track.html", form=form), status)


def _act(form: TrackForm, action: Callable[[Matter], str]) -> PageResponse:
    """Check number and code, run the complainant's action, answer with the status page."""
    if not form.number.data or not form.code.data:
        return private_page(render_template("complaints/track.html", form=TrackForm(formdata=None)), UNPROCESSABLE)
    matter = _found(form, for_update=True)
    if matter is None:
        lookup = TrackForm(formdata=None, number=form.number.data)
        lookup.code.errors = [_("受理编号或查询码不对，请核对后再试")]
        return private_page(render_template("complaints/track.html", form=lookup), UNPROCESSABLE)
    if not form.validate_on_submit():
        errors = [e for field in form if field.name not in ("number", "code") for e in field.errors]
        return _status_page(matter, form, "；".join(errors) or _("提交没有成功，请重试"), UNPROCESSABLE)
    try:
        message = action(matter)
    except (NotAllowed, RejectedUpload) as error:
        db.session.rollback()  # a step refused half-way (its text, say) shows the matter as it was
        return _status_page(matter, form, str(error), UNPROCESSABLE)
    return _status_page(matter, form, message)


@bp.post("/track/information")
@limiter.limit(tracking_limit)
@public
def add_information():
    form = AddInformationForm()

    def act(matter: Matter) -> str:
        services.add_information(
            db.session, matter=matter, text=form.text.data or "", photos=uploaded_photos(form.photos)
        )
        return _("已补充，办理人会看到。")

    return _act(form, act)


@bp.post("/track/rating")
@limiter.limit(tracking_limit)
@public
def rate():
    form = RateForm()

    def act(matter: Matter) -> str:
        services.rate(db.session, matter=matter, rating=Rating(form.rating.data))
        return _("谢谢您的评价。")

    return _act(form, act)


@bp.post("/track/review")
@limiter.limit(tracking_limit)
@public
def request_review():
    form = ReviewRequestForm()

    def act(matter: Matter) -> str:
        services.request_review(db.session, matter=matter, reason=form.reason.data)
        return _("已申请复查，由%(level)s答复。", level=matter.handler_level.label)

    return _act(form, act)


@bp.post("/track/re-review")
@limiter.limit(tracking_limit)
@public
def request_re_review():
    form = ReReviewRequestForm()

    def act(matter: Matter) -> str:
        services.request_re_review(db.session, matter=matter, reason=form.reason.data)
        return _("已申请复核，由县纪检监察答复；复核答复后事项终结。")

    return _act(form, act)
