"""Reading uploads: formats and encodings, and every kind of bad file gets a message, never an exception."""

from __future__ import annotations

import io
import tracemalloc
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from tests.dataio.helpers import GOOD_LEDGER_ROWS, LEDGER_HEADER, excel_like_xlsx, ledger_sheet, workbook_bytes
from transparency.dataio.layouts import LEDGER, SUBSIDY
from transparency.dataio.parsing import read_table
from transparency.dataio.writing import to_csv


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield


def _read(data: bytes, layout=LEDGER, max_rows: int = 1000):
    return read_table(layout, data, max_rows=max_rows)


def _messages(parsed) -> list[str]:
    return [p.message for p in parsed.problems]


def _csv(rows, encoding="utf-8") -> bytes:
    return "\n".join(",".join(str(c) for c in row) for row in rows).encode(encoding)


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text.encode("utf-8"),
        lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"),
        lambda text: text.encode("gbk"),
        lambda text: text.encode("gb18030"),
    ],
    ids=["utf-8", "utf-8 with BOM", "GBK", "GB18030"],
)
def test_csv_in_each_encoding_reads_the_same(ctx, encode):
    text = _csv(ledger_sheet(GOOD_LEDGER_ROWS)).decode()
    parsed = _read(encode(text))
    assert parsed.ok, parsed.problems
    assert [line.summary for line in parsed.content.ledger_rows] == ["上级拨付村级组织运转经费", "购买办公用品"]
    assert parsed.content.closing_balance == 137655


def test_a_csv_mixing_utf8_and_gbk_is_refused_naming_both_lines(ctx):
    data = _csv(ledger_sheet(GOOD_LEDGER_ROWS[:1])) + "\n".join(GOOD_LEDGER_ROWS[1]).encode("gbk")
    parsed = _read(data)
    assert not parsed.ok
    assert "混用了两种文字编码（第 1 行是 UTF-8，第 6 行是 GBK" in _messages(parsed)[0]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "文件的内容是 PNG，不是表格"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 100, "文件的内容是 JPEG，不是表格"),
        (b"%PDF-1.7\n", "文件的内容是 PDF，不是表格"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "这是旧版 Excel（.xls）"),
        (b"PK\x03\x04" + b"garbage" * 20, "表格文件已损坏或格式不对"),
        (b"", "文件是空的"),
        (b"\xff\xfe" + "日期".encode("utf-16-le"), "UTF-16"),
        (b"\x00\x01\x02binary", "无法识别的文件"),
    ],
    ids=["png", "jpeg", "pdf", "xls", "broken zip", "empty", "utf-16", "binary"],
)
def test_files_that_are_not_what_they_claim(ctx, data, expected):
    parsed = _read(data)
    assert not parsed.ok
    assert expected in _messages(parsed)[0]


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_a_word_document_renamed_to_xlsx(ctx):
    parsed = _read(_zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"}))
    assert "这是 Word 文档" in _messages(parsed)[0]


def test_a_zip_bomb_is_refused_before_anything_is_unpacked(ctx):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as entry:
            chunk = b"\x00" * (1 << 20)
            for _ in range(210):  # 210 MB that pack into a few hundred kilobytes
                entry.write(chunk)
    data = buffer.getvalue()
    assert len(data) < 1_000_000
    parsed = _read(data)
    assert "解压后过大" in _messages(parsed)[0]


def test_merged_cells_in_the_table_are_refused_but_a_merged_banner_above_is_fine(ctx):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["石桥村2025年第1季度财务收支明细表"])
    sheet.merge_cells("A1:F1")
    for row in ledger_sheet(GOOD_LEDGER_ROWS):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert _read(buffer.getvalue()).ok
    sheet.merge_cells("C6:D6")
    buffer = io.BytesIO()
    workbook.save(buffer)
    parsed = _read(buffer.getvalue())
    assert not parsed.ok
    assert parsed.problems[0].row == 6
    assert "C6:D6 是合并单元格" in parsed.problems[0].message


def test_hidden_sheets_are_not_read_and_the_clerk_is_told(ctx):
    data = workbook_bytes(
        ("旧账", ledger_sheet([["2025-01-05", "1", "x", "y", "999", ""]])),
        ("本期", ledger_sheet(GOOD_LEDGER_ROWS)),
        hidden=["旧账"],
    )
    parsed = _read(data)
    assert parsed.ok
    assert parsed.content.ledger_rows[0].income == 50000
    assert parsed.notes == ["隐藏的工作表没有读取：旧账"]


def test_data_only_in_a_hidden_sheet(ctx):
    data = workbook_bytes(("空", []), ("账", ledger_sheet(GOOD_LEDGER_ROWS)), hidden=["账"])
    assert "数据只在隐藏的工作表里" in _messages(_read(data))[0]


def test_empty_sheets_are_skipped_and_an_empty_workbook_is_named(ctx):
    parsed = _read(workbook_bytes(("封面", []), ("账", ledger_sheet(GOOD_LEDGER_ROWS))))
    assert parsed.ok
    assert "表格是空的" in _messages(_read(workbook_bytes(("Sheet1", []), ("Sheet2", []))))[0]
    assert "表头下面没有任何数据行" in _messages(_read(_csv([LEDGER_HEADER])))[0]
    assert "没有找到表头" in _messages(_read(_csv([["随便", "写点"]])))[0]


def test_every_row_problem_is_named_by_row_and_column(ctx):
    rows = [
        ["2025-13-01", "记-001", "补助收入", "上级拨付", "五百", ""],
        ["2025-01-06", "", "管理费用", "购买办公用品", "", "12.345"],
        ["2025-01-07", "记-003", "管理费用", "支付 6222021234567890123 账户", "", "1"],
    ]
    parsed = _read(_csv(ledger_sheet(rows)))
    found = {(p.row, p.column, p.message) for p in parsed.problems}
    assert (5, "A 列（日期）", "日期格式不对，应写成 2025-03-01") in found
    assert (5, "E 列（收入（元））", "金额格式不对，应为数字，最多两位小数，例如 1234.50") in found
    assert (6, "B 列（凭证号）", "请填凭证号") in found
    assert (6, "F 列（支出（元））", "金额格式不对，应为数字，最多两位小数，例如 1234.50") in found
    assert parsed.content is None


def test_totals_that_do_not_reconcile(ctx):
    parsed = _read(_csv(ledger_sheet(GOOD_LEDGER_ROWS, closing="1400.00")))
    assert _messages(parsed) == [
        "账不平：期初余额 ¥1,000.00 + 收入合计 ¥500.00 − 支出合计 ¥123.45 = ¥1,376.55，"
        "与期末余额 ¥1,400.00 相差 -¥23.45"
    ]
    with_total_row = ledger_sheet([*GOOD_LEDGER_ROWS, ["", "", "", "本期合计", "500.00", "132.45"]])
    parsed = _read(_csv(with_total_row))
    assert [(p.row, p.column) for p in parsed.problems] == [(7, "F 列（支出（元））")]
    assert "合计行写的是 ¥132.45，各行相加是 ¥123.45，相差 ¥9.00" in parsed.problems[0].message


def test_personal_data_in_free_text_is_caught_by_the_publication_checks(ctx):
    rows = [*GOOD_LEDGER_ROWS[:1], ["2025-02-03", "记-002", "管理费用", "转入 6222 0212 3456 7890 123", "", "123.45"]]
    assert "明细第 2 行“摘要”中有未遮盖的银行卡号或账号" in _messages(_read(_csv(ledger_sheet(rows))))


SUBSIDY_HEADER = ["补贴项目", "姓名", "身份证号", "户主/户号", "数量", "单位", "标准", "金额", "银行卡号"]


def test_a_bank_account_column_refuses_the_file_and_id_numbers_are_checked(ctx):
    rows = [
        ["项目合计", "耕地地力保护补贴", "3159.60"],
        SUBSIDY_HEADER,
        ["耕地地力保护补贴", "王建国", "11010519491231002X", "王建国户", "15", "亩", "105.32", "1579.80", "6222"],
        ["耕地地力保护补贴", "李秀英", "110105194912310021", "李秀英户", "15", "公顷", "105.32", "1579.80", "6223"],
    ]
    parsed = _read(_csv(rows), layout=SUBSIDY)
    found = {(p.row, p.column, p.message) for p in parsed.problems}
    assert (
        2,
        "I 列（银行卡号）",
        "“银行卡号”这一列不能公开（银行卡号、账号等），整个文件已拒收。请删除这一列后重新上传。",
    ) in found
    assert (4, "C 列（身份证号）", "身份证号最后一位校验码不对，可能有一位数字输错了") in found
    assert (4, "F 列（单位）", "单位应为 亩、人 或 户") in found
    assert parsed.content is None


def test_an_id_number_stored_as_a_number_is_refused(ctx):
    data = workbook_bytes(
        (
            "名单",
            [
                SUBSIDY_HEADER[:8],
                ["耕地地力保护补贴", "王建国", 110105194912310020, "王建国户", 15, "亩", 105.32, 1579.8],
            ],
        )
    )
    parsed = _read(data, layout=SUBSIDY)
    assert "身份证号被表格软件存成了数字" in _messages(parsed)[0]


def test_real_dates_and_numbers_from_a_spreadsheet_program_are_read(ctx):
    import datetime as dt

    rows = [["期初余额", 1000], ["期末余额", 1376.55], LEDGER_HEADER]
    rows += [
        [dt.datetime(2025, 1, 5), 1, "补助收入", "拨款", 500, None],
        [dt.date(2025, 2, 3), 2, "管理费用", "办公", None, 123.45],
    ]
    parsed = read_table(LEDGER, workbook_bytes(("账", rows)), max_rows=10, title="第一季度")
    assert parsed.ok, parsed.problems
    assert [(line.entry_date.day, line.voucher_no, line.expense) for line in parsed.content.ledger_rows] == [
        (5, "1", 0),
        (3, "2", 12345),
    ]


@pytest.fixture(scope="module")
def hundred_thousand_rows() -> bytes:
    rows = [["2025-01-05", f"记-{i}", "管理费用", "购买办公用品", "", "1.00"] for i in range(100_000)]
    return excel_like_xlsx([LEDGER_HEADER, *rows])


def test_a_100k_row_file_is_refused_by_its_declared_size_before_reading(ctx, hundred_thousand_rows):
    tracemalloc.start()
    try:
        parsed = _read(hundred_thousand_rows, max_rows=1000)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "标明有 100001 行，超过 1200 行的上限，没有读取" in _messages(parsed)[0]
    assert parsed.rows_read == 0
    # Loading the whole sheet would hold 600 000 cells; not one row is read.
    assert peak < 20 * 1024 * 1024


def test_a_file_just_over_the_table_limit_is_streamed_and_stopped_at_the_limit(ctx):
    rows = [["2025-01-05", f"记-{i}", "管理费用", "购买办公用品", "", "1.00"] for i in range(1_100)]
    parsed = _read(excel_like_xlsx([LEDGER_HEADER, *rows]), max_rows=1000)
    assert "表格超过 1000 行，没有导入" in _messages(parsed)[0]
    assert parsed.rows_read == 1001


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=2048) | st.text(max_size=500).map(lambda t: t.encode("utf-8")))
def test_no_bytes_make_the_reader_raise(ctx, data):
    parsed = _read(data)
    assert parsed.ok or parsed.problem_count


def test_csv_round_trip_of_the_written_template(ctx):
    from transparency.dataio.writing import template_rows

    assert _read(to_csv(template_rows(LEDGER))).ok


def test_a_bad_cell_does_not_leak_into_the_next_row(ctx):
    rows = [["2025-01-05", "记-001", "补助收入", "拨款", "五百", ""], *GOOD_LEDGER_ROWS]
    parsed = _read(_csv(ledger_sheet(rows)))
    assert [(p.row, p.column) for p in parsed.problems] == [(5, "E 列（收入（元））")]
