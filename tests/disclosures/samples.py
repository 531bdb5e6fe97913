"""Filled-in drafting forms, as a clerk would send them, shared by the web tests."""

ID_A = "11010519491231002X"
ID_B = "511321198001011234"

LEDGER_FORM = {
    "period_kind": "quarter",
    "year": "2025",
    "number": "1",
    "title": "2025年第1季度财务收支明细",
    "body": "本期收支如下。",
    "opening_balance": "1,000.00",
    "closing_balance": "1,376.55",
    "rows-0-entry_date": "2025-01-05",
    "rows-0-voucher_no": "2501-001",
    "rows-0-account": "补助收入",
    "rows-0-summary": "上级拨付村级组织运转经费",
    "rows-0-income": "500",
    "rows-0-expense": "",
    "rows-1-entry_date": "2025/2/3",
    "rows-1-voucher_no": "2502-001",
    "rows-1-account": "管理费用",
    "rows-1-summary": "购买办公用品",
    "rows-1-income": "",
    "rows-1-expense": "123.45",
    # A blank row, as the form always offers some: ignored.
    "rows-2-entry_date": "",
    "rows-2-voucher_no": "",
}

SUBSIDY_FORM = {
    "period_kind": "year",
    "year": "2025",
    "title": "2025年惠农补贴发放名单",
    "totals-0-program": "耕地地力保护补贴",
    "totals-0-declared_total": "1,579.80",
    "totals-1-program": "最低生活保障金",
    "totals-1-declared_total": "3,060",
    "rows-0-program": "耕地地力保护补贴",
    "rows-0-recipient": "王建国",
    "rows-0-id_number": ID_A,
    "rows-0-household": "王建国户",
    "rows-0-basis_hundredths": "15",
    "rows-0-basis_unit": "亩",
    "rows-0-rate": "105.32",
    "rows-0-amount": "1579.80",
    "rows-1-program": "最低生活保障金",
    "rows-1-recipient": "李秀英",
    "rows-1-id_number": ID_B,
    "rows-1-household": "李秀英户",
    "rows-1-basis_hundredths": "2",
    "rows-1-basis_unit": "人",
    "rows-1-rate": "1530",
    "rows-1-amount": "3060",
    "rows-2-basis_unit": "亩",  # a blank row still carries its select's value
}

COMPENSATION_FORM = {
    "period_kind": "day",
    "day": "2026-05-06",
    "title": "G318 国道改线工程征地补偿分配方案",
    "project_name": "G318 国道改线工程",
    "compensation_received": "100,000",
    "retained_by_collective": "10,000",
    "rows-0-household": "王建国户",
    "rows-0-parcel": "三组 01 号",
    "rows-0-area_hundredths": "1.2",
    "rows-0-land_amount": "45,600",
    "rows-0-crop_amount": "1,800",
    "rows-0-relocation_amount": "0",
    "rows-0-paid_on": "2026-05-10",
    "rows-1-household": "李秀英户",
    "rows-1-parcel": "三组 02 号",
    "rows-1-area_hundredths": "1",
    "rows-1-land_amount": "38,000",
    "rows-1-crop_amount": "1,600",
    "rows-1-relocation_amount": "3,000",
}
