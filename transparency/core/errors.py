"""Error pages in Chinese, with no stack trace, for every status a visitor can meet."""

from __future__ import annotations

from typing import Any

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from transparency.core.integers import BadInteger
from transparency.core.translations import lazy_gettext as _l

JSON_PREFIX = "/api/"
MESSAGES = {
    400: (_l("请求有误"), _l("提交的内容无法识别，请返回上一页检查后重试。")),
    403: (_l("无权访问"), _l("您没有权限查看或操作这个页面。")),
    404: (_l("找不到页面"), _l("您要找的页面不存在，可能链接有误或内容编号不对。")),
    405: (_l("操作方式不对"), _l("这个页面不支持这种操作。")),
    413: (
        _l("文件太大"),
        _l(
            "上传的内容超过了大小限制。请按浏览器的“返回”键回到上一页（填好的文字一般还在），少选几张照片或压缩后再提交。"
        ),
    ),
    429: (_l("操作太频繁"), _l("请稍等几分钟再试。")),
    503: (_l("系统繁忙"), _l("现在使用的人太多，您提交的内容没有保存。请按“返回”回到上一页，稍等一会儿再提交。")),
    500: (_l("系统出错了"), _l("服务器出现问题，您提交的内容没有保存。请稍后再试。")),
}


def render_error(code: int, detail: str | None = None) -> tuple[str, int]:
    title, message = MESSAGES.get(code, MESSAGES[400] if code < 500 else MESSAGES[500])
    return (
        render_template("errors/error.html", code=code, title=str(title), message=detail or str(message)),
        code,
    )


def _http_error(error: HTTPException) -> Any:
    if request.path.startswith(JSON_PREFIX):
        # The open-data API answers its clients in JSON, whatever went wrong.
        code = error.code or 500
        title, _message = MESSAGES.get(code, MESSAGES[400] if code < 500 else MESSAGES[500])
        return jsonify(error=str(title), status=code), code
    return render_error(error.code or 500)


def _csrf_error(_error: CSRFError) -> Any:
    return render_error(
        400,
        _("页面已过期或缺少安全令牌。请用浏览器的“返回”回到上一页，刷新后再提交；您填写的内容通常还在。"),
    )


def failure_response(error: BaseException) -> Any:
    """The answer when saving failed (a commit that raised): 503 when SQLite's writer lock was
    busy, else 500; the API's clients get JSON. Nothing the view rendered is shown."""
    code = 503 if isinstance(error, OperationalError) and "database is locked" in str(error.orig) else 500
    if request.path.startswith(JSON_PREFIX):
        return jsonify(error=str(MESSAGES[code][0]), status=code), code
    return render_error(code)


def _database_busy(error: OperationalError) -> Any:
    """SQLite's writer lock not obtained within the busy timeout: busy, not broken."""
    if "database is locked" in str(error.orig):
        return render_error(503)
    raise error


def _bad_integer(error: BadInteger) -> Any:
    """A malformed integer parameter is the visitor's mistake: 400 with what would be accepted."""
    if request.path.startswith(JSON_PREFIX):
        return jsonify(error=str(error), status=400), 400
    return render_error(400, str(error))


def init_app(app: Flask) -> None:
    app.register_error_handler(BadInteger, _bad_integer)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(OperationalError, _database_busy)
    app.register_error_handler(HTTPException, _http_error)
    # Unhandled exceptions arrive here as InternalServerError (tests let them propagate).
    app.register_error_handler(InternalServerError, _http_error)
