"""What Excel and scripts write: GBK with Chinese headers, UTF-8 with BOM, XLSX, date spellings."""

from __future__ import annotations

from datetime import date, datetime

from openpyxl import Workbook

from b2bgrowth.accounts.models import Account
from b2bgrowth.interchange.importer import import_file
from b2bgrowth.interchange.readers import read_table
from b2bgrowth.revenue.models import Subscription

from .helpers import rows, write

CHINESE_ACCOUNTS = (
    "客户ID,客户名称,行业,员工数,年营收,区域,类型,等级,上级客户ID,负责人,创建时间,备注\n"
    "A1,华为技术,通信,200000,800000000000,华南,直销,,,王伟,2023/01/05,重点客户\n"
    "A2,小米科技,消费电子,50,,华北,渠道,ka,A1,李娜,2023-02-01 08:30,\n"
)
CHINESE_SUBSCRIPTIONS = (
    "订阅ID,客户ID,产品,套餐,月费,币种,席位数,开始日期,结束日期\n"
    "S1,A1,CRM,旗舰版,\"12,000.50\",,100,2024/1/1,2024/07/01\n"
)


def test_gbk_file_with_chinese_headers(ws, tmp_path):
    path = write(tmp_path / "客户.csv", CHINESE_ACCOUNTS, "gbk")
    assert read_table(path).encoding == "gb18030"
    outcome = import_file(ws, "accounts", path)
    assert (outcome.inserted, outcome.errors) == (2, [])
    import_file(ws, "subscriptions", write(tmp_path / "订阅.csv", CHINESE_SUBSCRIPTIONS, "gbk"))
    with ws.store.read() as session:
        huawei = session.get(Account, "A1")
        xiaomi = session.get(Account, "A2")
        sub = session.get(Subscription, ("S1", date(2024, 1, 1)))
        assert (huawei.name, huawei.type, huawei.tier_override, huawei.tier) == ("华为技术", "direct", None, "KA")
        assert huawei.created_at == datetime(2023, 1, 5)
        assert huawei.attributes == {"备注": "重点客户"}
        assert (xiaomi.type, xiaomi.tier_override, xiaomi.tier, xiaomi.parent_account_id) == ("channel", "KA", "KA", "A1")
        assert xiaomi.created_at == datetime(2023, 2, 1, 8, 30)
        assert (sub.mrr, sub.currency, sub.plan, sub.end_date) == (12000.5, "CNY", "旗舰版", date(2024, 7, 1))


def test_utf8_with_and_without_bom_read_the_same(ws, tmp_path):
    plain = write(tmp_path / "plain.csv", CHINESE_ACCOUNTS, "utf-8")
    bom = write(tmp_path / "bom.csv", CHINESE_ACCOUNTS, "utf-8-sig")
    assert read_table(bom).headers == read_table(plain).headers
    assert read_table(bom).headers[0] == "客户ID"
    import_file(ws, "accounts", bom)
    assert import_file(ws, "accounts", plain).unchanged == 2


def test_xlsx_with_native_cells(ws, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["客户ID", "客户名称", "员工数", "年营收", "创建时间", "phone"])
    sheet.append(["A1", "Acme", 120, 5e8, datetime(2023, 3, 4, 5, 6, 7), 13800138000])
    sheet.append([None, None, None, None, None, None])  # blank rows are skipped
    sheet.append([1002, "Numbered id", 5.0, 1000, date(2023, 1, 1), None])
    path = tmp_path / "accounts.xlsx"
    book.save(path)
    outcome = import_file(ws, "accounts", path)
    assert (outcome.rows, outcome.inserted, outcome.errors) == (2, 2, [])
    with ws.store.read() as session:
        acme = session.get(Account, "A1")
        assert (acme.employees, acme.annual_revenue, acme.tier) == (120, 5e8, "CA")
        assert acme.created_at == datetime(2023, 3, 4, 5, 6, 7)
        assert acme.attributes == {"phone": "13800138000"}
        numbered = session.get(Account, "1002")
        assert (numbered.employees, numbered.created_at, numbered.tier) == (5, datetime(2023, 1, 1), "SMB")


def test_xlsx_errors_name_the_sheet_row(ws, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["account_id", "name", "employees"])
    sheet.append(["A1", "Acme", "many"])
    path = tmp_path / "bad.xlsx"
    book.save(path)
    outcome = import_file(ws, "accounts", path, skip_invalid=True)
    assert [str(e) for e in outcome.errors] == ["line 2, id A1, column employees: 'many' is not a whole number"]


def test_reimport_changes_nothing_and_a_changed_row_is_one_update(ws, tmp_path):
    path = write(tmp_path / "a.csv", CHINESE_ACCOUNTS)
    first = import_file(ws, "accounts", path)
    revision = ws.store.revisions(["accounts"])["accounts"]
    stored = rows(ws, "accounts")
    again = import_file(ws, "accounts", path)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 2)
    assert (first.inserted, first.updated, first.unchanged) == (2, 0, 0)
    assert rows(ws, "accounts") == stored
    assert ws.store.revisions(["accounts"])["accounts"] == revision  # derived tables stay fresh
    changed = write(tmp_path / "b.csv", CHINESE_ACCOUNTS.replace("小米科技,消费电子,50", "小米科技,消费电子,5000"))
    third = import_file(ws, "accounts", changed)
    assert (third.inserted, third.updated, third.unchanged) == (0, 1, 1)
    assert ws.store.revisions(["accounts"])["accounts"] == revision + 1


def test_a_file_with_fewer_columns_updates_only_those(ws, tmp_path):
    import_file(ws, "accounts", write(tmp_path / "a.csv", CHINESE_ACCOUNTS))
    outcome = import_file(ws, "accounts", write(tmp_path / "tiers.csv", "account_id,tier\nA1,smb\n"))
    assert (outcome.updated, outcome.unchanged) == (1, 0)
    with ws.store.read() as session:
        huawei = session.get(Account, "A1")
        assert (huawei.name, huawei.employees, huawei.tier_override, huawei.tier) == ("华为技术", 200000, "SMB", "SMB")
        assert huawei.attributes == {"备注": "重点客户"}  # not in this file: kept
    import_file(ws, "accounts", write(tmp_path / "clear.csv", "account_id,tier,备注\nA1,,\n"))
    with ws.store.read() as session:
        huawei = session.get(Account, "A1")
        assert (huawei.tier_override, huawei.tier, huawei.attributes) == (None, "KA", None)


def test_progress_reports_both_phases(ws, tmp_path):
    calls = []
    import_file(ws, "accounts", write(tmp_path / "a.csv", CHINESE_ACCOUNTS), progress=lambda *a: calls.append(a))
    assert calls[0] == ("checking", 0, 2)
    assert calls[-1] == ("writing", 2, 2)
