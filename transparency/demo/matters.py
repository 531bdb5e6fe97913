"""Demo matters: answered on time, under review, overdue and escalated, a report routed around
the village, and an extension — so every page of the tracker has something true to show."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from transparency.accounts.models import Account
from transparency.areas.models import Area
from transparency.complaints import services
from transparency.complaints.models import Channel, Matter, MatterKind, Rating
from transparency.core import clock
from transparency.core.db import clock_at


def _at(day: str, hour: int = 10) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=clock.zone())


@dataclass(frozen=True)
class DemoMatter:
    village: str
    kind: MatterKind
    title: str
    body: str
    registered: str
    public: bool = True
    channel: Channel = Channel.ONLINE
    named_officials: str = ""
    contact: tuple[str, str] = ("", "")
    # (day, step, text): step is accept / reply / rate / review / close / extension / approve
    steps: list[tuple[str, str, str | Rating]] = field(default_factory=list)


MATTERS = [
    DemoMatter(
        "石桥村",
        MatterKind.SUGGESTION,
        "建议在村委会门口装一块公示屏",
        "公开栏的纸张经常被雨淋坏，建议装一块电子公示屏，晚上也能看。",
        "2026-09-08",
        steps=[
            ("2026-09-10", "accept", ""),
            ("2026-09-25", "reply", "已列入明年村级公益事业计划，预算约 8,000 元，年底村民代表会议表决。"),
            ("2026-09-27", "rate", Rating.SATISFIED),
            ("2026-09-28", "close", ""),
        ],
    ),
    DemoMatter(
        "石桥村",
        MatterKind.QUESTION,
        "2026年种粮补贴什么时候发",
        "去年的种粮补贴 10 月就到账了，今年还没看到，想问一下什么时候发。",
        "2026-10-09",
        channel=Channel.PHONE,
        steps=[
            ("2026-10-12", "accept", ""),
            ("2026-10-20", "reply", "县农业农村局已下达资金，11 月 15 日前通过“一卡通”发放，名单见本村惠农补贴公示。"),
            ("2026-10-21", "rate", Rating.BASICALLY_SATISFIED),
        ],
    ),
    DemoMatter(
        "石桥村",
        MatterKind.COMPLAINT,
        "村口垃圾站一周没人清运",
        "村口垃圾站从上周一起没人清运，味道很大，还招老鼠。",
        "2026-10-20",
        steps=[
            ("2026-10-22", "accept", ""),
            ("2026-11-02", "reply", "已联系镇环卫所，从本周起每两天清运一次。"),
            ("2026-11-04", "rate", Rating.UNSATISFIED),
            ("2026-11-05", "review", "只清运了一次，这周又没人来。"),
        ],
    ),
    DemoMatter(
        "石桥村",
        MatterKind.COMPLAINT,
        "三组道路硬化工程停工两个月",
        "三组通组路硬化工程 8 月开工，9 月起就停了，路面挖开没人管，雨天老人孩子摔了好几次。",
        "2026-10-26",
    ),
    DemoMatter(
        "石桥村",
        MatterKind.REPORT,
        "反映村会计挪用征地补偿款",
        "征地补偿款有一笔 12 万元没有发到户，村会计说先借给别人用了。",
        "2026-11-10",
        public=False,
        named_officials="村会计",
        contact=("张某", "13800001234"),
        steps=[("2026-11-12", "accept", "")],
    ),
    DemoMatter(
        "王家庄村",
        MatterKind.COMPLAINT,
        "自来水管爆裂半个月没修",
        "村西自来水主管爆裂，已经半个月，十几户只能挑水。",
        "2026-09-15",
        channel=Channel.IN_PERSON,
        steps=[
            ("2026-09-16", "accept", ""),
            ("2026-11-10", "extension", "需等县水务公司调拨管材，预计 12 月初到货。"),
            ("2026-11-11", "approve", ""),
        ],
    ),
    DemoMatter(
        "青山村",
        MatterKind.QUESTION,
        "低保复核结果在哪里看",
        "家里老人今年申请了低保，复核结果在哪里能看到？",
        "2026-10-13",
        steps=[
            ("2026-10-14", "accept", ""),
            ("2026-10-15", "reply", "复核结果在本村“惠农补贴”栏公示，也可到镇民政办查询。"),
            ("2026-10-16", "rate", Rating.SATISFIED),
        ],
    ),
]


@dataclass(frozen=True)
class Handlers:
    clerks: dict[str, Account]  # by village name
    inspector: Account  # 石桥镇
    county_inspector: Account

    def for_matter(self, matter: Matter) -> Account:
        return self.inspector if matter.conflict_of_interest else self.clerks[matter.village.name]


def load_demo_matters(session: Session, areas: dict[str, Area], handlers: Handlers) -> None:
    for demo in MATTERS:
        new = services.NewMatter(
            kind=demo.kind,
            village=areas[demo.village],
            title=demo.title,
            body=demo.body,
            channel=demo.channel,
            named_officials=demo.named_officials,
            wants_public=demo.public,
            contact_name=demo.contact[0],
            contact_phone=demo.contact[1],
        )
        with clock_at(_at(demo.registered)):
            matter = services.register(session, new=new).matter
        for day, step, text in demo.steps:
            with clock_at(_at(day)):
                _take(session, matter, step, text, handlers)
    # The cron job's run on the morning the road-works complaint passed its deadline.
    with clock_at(_at("2026-11-17", 1)):
        services.escalate_overdue(session, today=dt.date(2026, 11, 17))


def _take(session: Session, matter: Matter, step: str, text: str | Rating, handlers: Handlers) -> None:
    handler = handlers.for_matter(matter)
    match step:
        case "accept":
            services.accept(session, matter=matter, actor=handler)
        case "reply":
            services.reply(session, matter=matter, actor=handler, text=str(text))
        case "rate":
            services.rate(session, matter=matter, rating=Rating(text))
        case "review":
            services.request_review(session, matter=matter, reason=str(text))
        case "close":
            services.close(session, matter=matter, actor=handler, note=str(text))
        case "extension":
            services.request_extension(session, matter=matter, actor=handler, days=30, reason=str(text))
        case "approve":
            services.decide_extension(session, matter=matter, actor=handlers.county_inspector, approve=True)
