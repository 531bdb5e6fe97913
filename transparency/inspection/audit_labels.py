"""The audit log in plain Chinese: one label per action code, per payload field, and values shown
as people read them (a category's name, 是/否), never JSON.

The log stores codes (`login.success`) because the chain commits to them; this is the one place
that says what they mean. tests/inspection/test_audit_labels.py finds every action the code
records and fails if one has no label here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from transparency.accounts.models import Role
from transparency.areas.models import Area
from transparency.audit.models import AuditEntry
from transparency.complaints.deadlines import Step
from transparency.core.translations import lazy_gettext as _l
from transparency.disclosures.models import Category

ACTION_LABELS: dict[str, Any] = {
    "account.create": _l("建立账户"),
    "account.activate": _l("启用账户"),
    "account.deactivate": _l("停用账户"),
    "login.success": _l("登录成功"),
    "login.failure": _l("登录失败"),
    "logout": _l("退出登录"),
    "area.create": _l("添加地区"),
    "disclosure.draft": _l("新建公开草稿"),
    "disclosure.save": _l("修改草稿"),
    "disclosure.discard": _l("删除未公开的草稿"),
    "disclosure.submit": _l("提交审核"),
    "disclosure.return": _l("监督委员会退回"),
    "disclosure.publish": _l("审核通过并公开"),
    "disclosure.correct": _l("更正已公开的内容"),
    "disclosure.import": _l("从文件导入并公开"),
    "complaint.registered": _l("登记群众反映"),
    "complaint.accepted": _l("受理"),
    "complaint.declined": _l("不予受理"),
    "complaint.replied": _l("答复"),
    "complaint.extension_requested": _l("申请延期"),
    "complaint.extension_approved": _l("批准延期"),
    "complaint.extension_refused": _l("不批准延期"),
    "complaint.escalated": _l("逾期上报"),
    "complaint.information_added": _l("反映人补充情况"),
    "complaint.rated": _l("反映人评价"),
    "complaint.review_requested": _l("申请复查"),
    "complaint.review_answered": _l("复查答复"),
    "complaint.closed": _l("办结"),
    "complaint.code_reissued": _l("重新发放查询码"),
    "complaint.code_revoked": _l("作废旧查询码"),
    "complaint.contact_viewed": _l("查看反映人联系方式"),
    "complaint.re_review_requested": _l("申请复核"),
    "complaint.re_review_answered": _l("复核答复（事项终结）"),
    "complaint.declined_as_final": _l("以已终结事项为由不予受理"),
    "complaint.acceptance_notified": _l("告知实名举报人受理情况"),
    "complaint.result_notified": _l("告知实名举报人办理结果"),
    "complaint.conflict_declared": _l("声明回避"),
    "complaint.stepped_aside": _l("回避后移交"),
    "obligation.set": _l("设置公开期限"),
    "obligation.flag": _l("标记村的公开要求"),
    "obligation.unflag": _l("取消村的公开要求标记"),
    "inspection.export": _l("导出看板数据"),
    "audit.verify": _l("核验哈希链"),
    "audit.redact": _l("删除日志中的一段文字"),
    "import.file": _l("从命令行导入文件"),
    "export.dump": _l("导出全部公开数据"),
}

# A filter on the first part of a code finds every action of that kind.
ACTION_GROUPS: dict[str, Any] = {
    "account": _l("账户（全部）"),
    "login": _l("登录（全部）"),
    "disclosure": _l("村务公开（全部）"),
    "complaint": _l("群众反映（全部）"),
    "obligation": _l("公开期限（全部）"),
    "audit": _l("审计日志（全部）"),
}

OBJECT_LABELS: dict[str, Any] = {
    "account": _l("账户"),
    "area": _l("地区"),
    "disclosure": _l("公开事项"),
    "matter": _l("群众反映"),
    "obligation_rule": _l("公开期限规则"),
    "audit_log": _l("审计日志"),
    "audit_text": _l("日志中的文字"),
    "export": _l("导出"),
    "file": _l("文件"),
}

FIELD_LABELS: dict[str, Any] = {
    "name": _l("名称"),
    "area": _l("地区"),
    "role": _l("角色"),
    "category": _l("类别"),
    "version": _l("版本"),
    "versions": _l("版本数"),
    "village": _l("村"),
    "content_sha256": _l("内容摘要"),
    "number": _l("受理编号"),
    "seq": _l("办理记录第几条"),
    "days": _l("天数"),
    "step": _l("环节"),
    "is_public": _l("公开"),
    "reason": _l("原因"),
    "table": _l("表格"),
    "year": _l("年份"),
    "format": _l("格式"),
    "ok": _l("核验结果"),
    "entries": _l("核验条数"),
    "bad_seq": _l("第一条有问题的记录"),
    "digest": _l("文字摘要"),
    "cadence": _l("频次"),
    "cutoff_day": _l("次月几日前"),
    "within_days": _l("几日内"),
    "flag": _l("标记"),
    "village_flag": _l("适用的村"),
    "identity_check": _l("核实身份的方式"),
    "releases": _l("发放"),
    "rows": _l("行数"),
    "disclosures": _l("公开事项数"),
    "villages": _l("村数"),
    "directory": _l("目录"),
}

# The digests of free texts: their words are shown separately, beside the entry.
TEXT_KEYS = ("texts", "staff_texts")
LOGIN_FAILURES = {"unknown": _l("没有这个用户名"), "locked": _l("暂停登录期间再试")}


@dataclass(frozen=True)
class ShownField:
    label: str
    value: str
    is_digest: bool = False


def action_label(code: str) -> str:
    return str(ACTION_LABELS.get(code, code))


def object_label(code: str) -> str:
    return str(OBJECT_LABELS.get(code, code))


def _enum_label(enum_class: Any, value: Any) -> str | None:
    try:
        return str(enum_class(value).label)
    except ValueError:
        return None


def _value(key: str, value: Any, areas: dict[str, Area]) -> str:
    if value is None:
        return "—"
    if key == "ok" and isinstance(value, bool):
        return _("通过") if value else _("未通过")
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if key == "category":
        return _enum_label(Category, value) or str(value)
    if key == "role":
        return _enum_label(Role, value) or str(value)
    if key == "step":
        return _enum_label(Step, value) or str(value)
    if key in ("village", "area") and isinstance(value, str):
        area = areas.get(value)
        return area.name + _("（%(text)s）", text=value) if area is not None else value
    if key == "reason" and value in LOGIN_FAILURES:
        return str(LOGIN_FAILURES[value])
    if isinstance(value, dict | list):
        return (
            _("，").join(f"{k} {v}" for k, v in value.items())
            if isinstance(value, dict)
            else _("，").join(map(str, value))
        )
    return str(value)


def payload_fields(entry: AuditEntry, areas: dict[str, Area]) -> list[ShownField]:
    """The entry's payload as labelled fields; text digests are left out (their words are shown)."""
    try:
        payload = json.loads(entry.payload)
    except ValueError:
        return [ShownField(_("内容"), entry.payload)]
    if not isinstance(payload, dict):
        return [ShownField(_("内容"), str(payload))]
    return [
        ShownField(str(FIELD_LABELS.get(key, key)), _value(key, value, areas), key in ("content_sha256", "digest"))
        for key, value in payload.items()
        if key not in TEXT_KEYS
    ]


TEXT_LABELS: dict[str, Any] = {
    "reason": _l("理由"),
    "username": _l("用户名"),
    "note": _l("意见"),
    "text": _l("内容"),
    "reasons": _l("退回理由"),
    "title": _l("标题"),
}


def text_label(key: str) -> str:
    return str(TEXT_LABELS.get(key, key))
