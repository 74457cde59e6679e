"""Headers are matched by their words, one helper for every kind of import."""

from __future__ import annotations

from yufang.enterprises.importers import enterprise_importer
from yufang.injuries.importers import injury_case_importer
from yufang.support.import_kinds import guess_mapping, header_matches, header_words, importers


def test_header_words_drop_the_bureaus_extra_words_width_and_case():
    assert header_words("所在区县代码") == header_words("区县代码") == "区县"
    assert header_words("所属 乡镇街道 编码") == header_words("乡镇街道代码")
    assert header_words("ＵＳＣＣ") == header_words("uscc")
    assert header_words("企业名称") == "企业"


def test_a_bureaus_county_header_is_the_county():
    headers = ["统一社会信用代码", "单位名称", "所在区县代码", "所属行业代码", "行业名称"]
    mapping = guess_mapping(enterprise_importer.columns, headers)
    assert mapping["county"] == "所在区县代码"
    assert mapping["name"] == "单位名称"
    # 行业代码 and 行业名称 have the same words: the code column takes the one that says code.
    assert mapping["industry"] == "所属行业代码"


def test_a_header_feeds_one_column_and_exact_names_win():
    headers = ["统一社会信用代码", "信用代码"]
    mapping = guess_mapping(injury_case_importer.columns, headers)
    assert mapping == {"enterprise": "统一社会信用代码"}


def test_the_matches_name_every_header_and_the_unused_ones():
    headers = ["所在区县代码", "备注"]
    mapping = guess_mapping(enterprise_importer.columns, headers)
    matches = header_matches(enterprise_importer.columns, headers, mapping)
    assert matches == [
        {"header": "所在区县代码", "column": "county", "label": "county code"},
        {"header": "备注", "column": "", "label": ""},
    ]


def test_every_kind_is_matched_by_the_same_helper():
    # Every registered kind finds its own first alias written the bureau's way.
    for importer in importers():
        for column in importer.columns:
            if not column.aliases:
                continue
            header = f"所在 {column.aliases[0]} "
            assert guess_mapping(importer.columns, [header]).get(column.name) == header, (
                importer.kind,
                column.name,
            )


def test_a_header_of_names_never_feeds_a_code_column_nor_codes_a_name():
    mapping = guess_mapping(enterprise_importer.columns, ["所属网格名称", "单位代码", "行业名称"])
    assert "grid" not in mapping  # 网格 names are not grid codes
    assert "industry" not in mapping
    assert "name" not in mapping  # 单位代码 is not the enterprise's name
