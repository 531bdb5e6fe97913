"""`transparency complaints clock`: the deployer's check of the clock against a paper calendar."""

from __future__ import annotations

import pytest

# (arguments, the lines a hand count with the 2026 State Council schedule gives)
HAND_COUNTS = [
    (  # Friday 09-25 + 15 日 = Saturday 10-10, a make-up working day: it stays
        ["--kind", "complaint", "--registered", "2026-09-25"],
        ["决定是否受理 2026-10-10 依据《信访工作条例》第二十三条"],
    ),
    (  # 08-02 + 60 日 = 10-01, National Day: moved to 10-08
        ["--kind", "complaint", "--registered", "2026-07-20", "--accepted", "2026-08-02"],
        [
            "决定是否受理 2026-08-04 依据《信访工作条例》第二十三条",
            "答复 2026-10-08 依据《信访工作条例》第三十二条 （2026-10-01 是节假日，顺延）",
        ],
    ),
    (  # a review window ending 02-16, in the Spring Festival: moved to 02-24; 03-07 is a Saturday
        ["--kind", "complaint", "--registered", "2026-01-05", "--accepted", "2026-01-06", "--replied", "2026-01-17"],
        [
            "决定是否受理 2026-01-20 依据《信访工作条例》第二十三条",
            "答复 2026-03-09 依据《信访工作条例》第三十二条 （2026-03-07 是节假日，顺延）",
            "申请复查 2026-02-24 依据《信访工作条例》第三十五条 （2026-02-16 是节假日，顺延）",
        ],
    ),
    (  # 60 days end on Saturday 06-20 (端午 weekend), moved to 06-22; the extension counts from there
        ["--kind", "question", "--registered", "2026-04-20", "--accepted", "2026-04-21", "--extension", "10"],
        [
            "决定是否受理 2026-05-06 依据《信访工作条例》第二十三条 （2026-05-05 是节假日，顺延）",
            "答复 2026-07-02 依据《信访工作条例》第三十二条",
        ],
    ),
    (  # a 实名 举报: told of acceptance in 15 working days (from 中秋 09-25, counting Saturday 10-10),
        # and of the result 15 working days after closing on Monday 11-02
        ["--kind", "report", "--registered", "2026-09-25", "--accepted", "2026-09-28", "--closed", "2026-11-02"]
        + ["--real-name"],
        [
            "决定是否受理 2026-10-10 依据《信访工作条例》第二十三条",
            "告知实名举报人受理情况 2026-10-22 依据《纪检监察机关处理检举控告工作规则》（实名检举控告的处理）",
            "答复 2026-11-27 依据《信访工作条例》第三十二条",
            "向实名举报人反馈办理结果 2026-11-23 依据《纪检监察机关处理检举控告工作规则》（实名检举控告的处理）",
        ],
    ),
    (  # a 咨询 about a published disclosure: 10 days from 09-21 end on National Day, moved to 10-08;
        # 复核 may be asked 30 days after a review answer of 09-20
        ["--kind", "question", "--registered", "2026-09-18", "--accepted", "2026-09-21", "--on-disclosure"]
        + ["--replied", "2026-09-30", "--review-answered", "2026-09-20"],
        [
            "决定是否受理 2026-10-08 依据《信访工作条例》第二十三条 （2026-10-03 是节假日，顺延）",
            "答复对公开内容的咨询 2026-10-08 依据《关于健全和完善村务公开和民主管理制度的意见》"
            " （2026-10-01 是节假日，顺延）",
            "申请复查 2026-10-30 依据《信访工作条例》第三十五条",
            "申请复核 2026-10-20 依据《信访工作条例》第三十六条",
        ],
    ),
    (  # counted into 2027, which has no official schedule yet
        ["--kind", "suggestion", "--registered", "2026-12-20", "--accepted", "2026-12-25", "--extension", "30"],
        [
            "决定是否受理 2027-01-04 依据《信访工作条例》第二十三条 节假日安排未经核实",
            "答复 2027-03-25 依据《信访工作条例》第三十二条 节假日安排未经核实",
        ],
    ),
]


@pytest.mark.parametrize(("arguments", "expected"), HAND_COUNTS)
def test_the_clock_command_agrees_with_a_hand_count(runner, arguments, expected):
    result = runner.invoke(args=["complaints", "clock", *arguments])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == expected


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--kind", "complaint", "--registered", "2026-1-05"], "不是 YYYY-MM-DD 格式的日期"),
        (["--kind", "complaint", "--registered", "2026-01-05..2026-01-06"], "不是 YYYY-MM-DD 格式的日期"),
        (
            ["--kind", "complaint", "--registered", "2026-01-05", "--accepted", "2026-01-06", "--extension", "31"],
            "延期最多 30 天",
        ),  # fmt: skip
        (["--kind", "complaint", "--registered", "2026-01-05", "--extension", "5"], "延期只能在受理之后"),
    ],
)
def test_bad_input_is_refused_with_a_message(runner, arguments, message):
    result = runner.invoke(args=["complaints", "clock", *arguments])
    assert result.exit_code == 2 and message in result.output
