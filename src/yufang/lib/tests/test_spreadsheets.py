from __future__ import annotations

import pytest

from yufang.lib.spreadsheets import SpreadsheetError, read_table, write_csv, write_xlsx


def test_reads_utf8_csv_with_bom_and_skips_empty_rows():
    data = "\ufeff名称,代码\n甲公司,1\n,\n乙公司,2\n".encode()
    table = read_table(data)
    assert table.headers == ["名称", "代码"]
    assert [(n, r["名称"]) for n, r in table.rows] == [(2, "甲公司"), (4, "乙公司")]
    assert table.encoding == "utf-8"


def test_reads_gbk_csv_from_chinese_excel():
    data = "名称,代码\n青岛某某机械有限公司,1\n".encode("gbk")
    table = read_table(data)
    assert table.rows[0][1]["名称"] == "青岛某某机械有限公司"
    assert table.encoding == "gbk"


def test_reads_xlsx_written_by_us():
    data = write_xlsx(["名称", "人数"], [["甲", 3], ["乙", 4.0]])
    table = read_table(data)
    assert table.headers == ["名称", "人数"]
    assert table.rows[1][1] == {"名称": "乙", "人数": "4"}


def test_refuses_binary_file_whatever_its_name():
    with pytest.raises(SpreadsheetError, match="neither CSV nor XLSX"):
        read_table(b"\x89PNG\r\n\x1a\n\x00\x00\x00")


def test_refuses_damaged_xlsx():
    with pytest.raises(SpreadsheetError):
        read_table(b"PK\x03\x04 not really a zip")


def test_refuses_empty_file():
    with pytest.raises(SpreadsheetError):
        read_table(b"  \n")


def test_csv_export_starts_with_bom_for_excel():
    assert write_csv(["a"], [[1]]).startswith("\ufeff".encode())
