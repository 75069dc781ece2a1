"""The dataset: every figure sourced, the validator refuses bad records, the build is atomic and deterministic."""
import csv
import hashlib
import shutil
from pathlib import Path

import duckdb
import pytest

from etl.build import DATA_DIR, build, load_curated
from etl.numerals import parse_number
from etl.periods import parse_period
from etl.validate import ValidationError

FIGURE_FILE = "figures/work_report_2024.csv"


@pytest.fixture(scope="module")
def con(database):
    c = duckdb.connect(str(database), read_only=True)
    yield c
    c.close()


def fact(con, figure_id):
    row = con.execute("SELECT * FROM facts WHERE figure_id = ?", [figure_id]).df()
    assert len(row) == 1, figure_id
    return row.iloc[0]


# ---------- spot checks written by hand from the documents ----------

def test_national_rank_2021_is_116_of_217_up_76(con):
    r = con.execute("SELECT rank, rank_total, rank_change FROM rankings "
                    "WHERE indicator = 'rank_national' AND year = 2021").fetchone()
    assert r == (116, 217, 76)


def test_provincial_rank_fell_31_places_and_city_rose_6(con):
    rows = dict(con.execute("SELECT indicator, rank_change FROM rankings WHERE year = 2021 "
                            "AND rank_change IS NOT NULL").fetchall())
    assert rows == {"rank_national": 76, "rank_provincial": -31, "rank_city": 6}


def test_trade_2024_jan_oct(con):
    level = fact(con, "wr24_trade_2024m1_10")
    growth = fact(con, "wr24_trade_growth_2024m1_10")
    assert (level.value, level.unit, level.period) == (88.39, "亿元", "2024年1-10月")
    assert level.value_base == pytest.approx(8_839_000_000)
    assert (growth.value, growth.unit) == (17.1, "%")
    assert "全区进出口完成88.39亿元，增长17.1%" in level.quote


def test_fdi_2021_in_dollars(con):
    fdi = fact(con, "sd22_fdi_2021")
    assert (fdi.value_text, fdi.unit, fdi.base_unit) == ("5385.74", "万美元", "美元")
    assert fdi.value_base == pytest.approx(53_857_400)


def test_qualifiers_are_kept(con):
    assert fact(con, "wr24_building_firms_2024").qualifier == "余"
    assert fact(con, "wr24_building_revenue_2024").qualifier == "超"
    assert fact(con, "wr24_high_end_alloy_pipe_share_2024").qualifier == "接近"
    assert fact(con, "sd22_trade_2022m1_5").qualifier == "预计"


def test_gap_and_percent_are_different_kinds(con):
    gap = fact(con, "wr24_gdp_gap_city_2024q3")
    growth = fact(con, "wr24_gdp_growth_2024q3")
    assert (gap.measure, gap.base_unit) == ("gap", "个百分点")
    assert (growth.measure, growth.base_unit) == ("growth", "%")


def test_city_growth_is_derived_from_zone_growth_and_gap(con):
    city = fact(con, "drv_city_gdp_growth_2024q3")
    assert city.is_derived and city.value == pytest.approx(5.5)
    assert city.quote is None and "wr24_gdp_growth_2024q3" in city.formula


def test_derived_2020_trade_from_2021_and_growth(con):
    trade_2020 = fact(con, "drv_trade_2020_implied")
    assert trade_2020.is_derived
    # 69.85 / 1.6052 = 43.5148…: four significant digits, as its inputs, and 约 as it was rounded
    assert (trade_2020.value, trade_2020.value_text, trade_2020.qualifier) == (43.51, "43.51", "约")


@pytest.mark.parametrize("figure_id, value_text, qualifier", [
    ("drv_zoucheng_tax_per_mu_2021", "18", "约"),  # 3.58 ÷ 五分之一: a round fraction, not 17.9
    ("drv_fdi_2020_implied", "500", "约"),  # 5385.74 ÷ (1 + 977.2%) = 499.98…
    ("drv_city_tertiary_va_growth_2024q3", "5.0", ""),  # 6.7 − 1.7: exact, as precise as its inputs
    ("drv_rank_city_2020", "11", ""),
])
def test_derived_figures_carry_the_precision_and_qualifier_of_their_inputs(con, figure_id, value_text, qualifier):
    row = fact(con, figure_id)
    assert (row.value_text, row.qualifier) == (value_text, qualifier)
    assert row.value == float(value_text)


@pytest.mark.parametrize("figure_id, period, kind", [
    ("wr24_used_car_exports_2024", "7个月累计（2024年文件）", "unspecified"),  # 7个月累计, months not named
    ("wr24_zhongtong_trade_2024", "期间未注明（2024年文件）", "unspecified"),  # the report's data end in October
    ("wr24_building_revenue_2024", "期间未注明（2024年文件）", "unspecified"),  # 近年来 … 年营收
    ("wr24_above_scale_firms_2024", "截至2024年", "as_of"),  # 目前
    ("wr24_key_projects_investment_2024", "截至2024年", "as_of"),  # a total investment is no amount of 2024
    ("sd22_bestyacht_investment", "截至2022年", "as_of"),
    ("sd22_years_since_founding", "期间未注明（2022年文件）", "unspecified"),  # 二十七载: 1992 + 27 ≠ 2022
    ("wr24_firms_visited_2024", "2024年以来", "to_date"),  # 今年以来
])
def test_periods_are_what_the_text_says(con, figure_id, period, kind):
    row = fact(con, figure_id)
    assert (row.period, row.period_kind) == (period, kind)


def test_a_place_from_the_bottom_is_never_first_place(con):
    bottom = fact(con, "sd22_rank_city_from_bottom_2020")
    assert bottom.measure == "rank_from_bottom"
    firsts = [r for (r,) in con.execute("SELECT figure_id FROM rankings WHERE rank = 1").fetchall()]
    assert "sd22_rank_city_from_bottom_2020" not in firsts
    assert con.execute("SELECT count(*) FROM facts WHERE measure = 'rank' AND quote LIKE '%倒数%' "
                       "AND indicator = 'rank_city_from_bottom'").fetchone() == (0,)


def test_names_of_lists_are_not_counts(con):
    assert con.execute("SELECT count(*) FROM facts WHERE quote LIKE '%500强%' AND value = 500").fetchone() == (0,)
    assert con.execute("SELECT kind FROM entities WHERE entity = '世界500强'").fetchone() == ("list",)


def test_projects_state_only_what_a_sentence_says(con):
    # no document puts a named project in an industry; the 2022 deck gives no status
    assert set(r for (r,) in con.execute("SELECT DISTINCT industry FROM projects").fetchall()) == {"未注明"}
    assert con.execute("SELECT DISTINCT status FROM projects WHERE year = 2022").fetchall() == [("未注明",)]
    same = con.execute("SELECT value, quote, other_quote FROM inferences WHERE subject = '百思特游艇'").fetchone()
    assert same[0] == "百思特高端游艇研发制造项目" and "百思特游艇" in same[1] and "总投资20亿元" in same[2]


@pytest.mark.parametrize("entity, kind", [
    ("十强产业雁阵形集群", "list"), ("聊城地区经济开发区", "zone"), ("聊城地委", "authority"), ("聊城行署", "authority"),
    ("滕州经开区", "peer_zone"), ("京津冀", "region"), ("胶东地区", "region"), ("全球2024物流技术创新案例", "award"),
    ("家电以旧换新", "program"), ("房票", "program"), ("国企收购存量房", "program"),
])
def test_every_named_thing_is_stored(con, entity, kind):
    assert con.execute("SELECT kind FROM entities WHERE entity = ?", [entity]).fetchone() == (kind,)


def test_the_enterprise_list_links_guaibao(con):
    assert con.execute("SELECT entity FROM enterprises WHERE name = '乖宝宠物食品集团股份有限公司'").fetchone() == ("乖宝",)


def test_no_completion_ratio_across_different_sets(con):
    formulas = [f for (f,) in con.execute("SELECT formula FROM derived_figures").fetchall()]
    assert not any("annual_plan" in f and "investment_done" in f for f in formulas)


def test_every_topic_has_figures(con):
    topics = dict(con.execute("SELECT topic, count(*) FROM facts WHERE NOT is_derived GROUP BY ALL").fetchall())
    assert set(topics) == {"economy", "clusters", "projects", "trade", "party_services",
                           "benchmarks", "targets", "history"}
    assert sum(topics.values()) >= 170


def test_trade_target_matched_with_its_jan_may_actual(con):
    row = con.execute("SELECT target_value, actual_value, actual_period, status FROM targets "
                      "WHERE figure_id = 'sd22_target_trade_growth_2022'").fetchone()
    assert row == (50.0, 69.67, "2022年1-5月", "in_progress")  # a 1-5月 forecast is progress, never met


def test_every_quote_is_verbatim_in_its_document(con):
    rows = con.execute("SELECT f.quote, s.text FROM figures f JOIN sources s USING (source_id)").fetchall()
    squash = lambda s: "".join(s.replace("**", "").split())  # noqa: E731
    assert all(squash(q) in squash(text) for q, text in rows)


# ---------- parsing ----------

@pytest.mark.parametrize("written, value", [
    ("494.6", 494.6), ("四分之一", 0.25), ("一万", 10_000), ("千万", 10_000_000), ("十二", 12),
    ("二十七", 27), ("八", 8), ("万", 10_000),
])
def test_numbers_as_written(written, value):
    assert parse_number(written) == pytest.approx(value)


@pytest.mark.parametrize("period, start, end", [
    ("截至2024年", "None", "2024-12-31"),
    ("2024年以来", "2024-01-01", "None"),
    ("期间未注明（2024年文件）", "None", "None"),
    ("7个月累计（2024年文件）", "None", "None"),
    ("2024年前三季度", "2024-01-01", "2024-09-30"),
    ("2024年1-10月", "2024-01-01", "2024-10-31"),
    ("2022年5月", "2022-05-01", "2022-05-31"),
    ("2023年", "2023-01-01", "2023-12-31"),
    ("2022年末", "2022-12-31", "2022-12-31"),
])
def test_periods(period, start, end):
    p = parse_period(period)
    assert (str(p.start), str(p.end)) == (start, end)


# ---------- the validator refuses bad records, naming file, line and field ----------

@pytest.fixture
def data_copy(tmp_path):
    shutil.copytree(DATA_DIR, tmp_path / "data", ignore=shutil.ignore_patterns("*.duckdb*", "imports"))
    return tmp_path / "data"


def edit_first_figure(data_dir: Path, **changes) -> None:
    path = data_dir / FIGURE_FILE
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    rows[0].update(changes)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def problems_of(data_dir: Path) -> list[str]:
    with pytest.raises(ValidationError) as err:
        load_curated(data_dir)
    return [p.message("en") for p in err.value.problems]


@pytest.mark.parametrize("changes, expected", [
    ({"quote": "全区GDP增长80%"}, f"{FIGURE_FILE}:2: quote: quote not found verbatim in its document"),
    ({"value_text": "9", "value": "9"}, f"{FIGURE_FILE}:2: value_text: value does not appear in its quote"),
    ({"value": "9"}, f"{FIGURE_FILE}:2: value: value does not match value_text"),
    ({"unit": "亿斤"}, f"{FIGURE_FILE}:2: unit: unknown unit"),
    ({"period": "2024年第13月"}, f"{FIGURE_FILE}:2: period: period does not parse"),
    ({"figure_id": "wr24_gdp_gap_city_2024q3"}, f"{FIGURE_FILE}:3: figure_id: duplicate key"),
    ({"entity": ""}, f"{FIGURE_FILE}:2: entity: required field is empty"),
    ({"measure": "speed"}, f"{FIGURE_FILE}:2: measure: value not allowed"),
    ({"value": "八"}, f"{FIGURE_FILE}:2: value: not a number"),
])
def test_validator_rejects_bad_record(data_copy, changes, expected):
    edit_first_figure(data_copy, **changes)
    messages = problems_of(data_copy)
    assert any(m.startswith(expected) for m in messages), messages


def edit_row(data_dir: Path, file: str, key: str, **changes) -> int:
    """Change one row of a curated file; its line as the validator names it."""
    path = data_dir / file
    eol = "\r\n" if b"\r\n" in path.read_bytes() else "\n"
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        fields, rows = reader.fieldnames, list(reader)
    index = next(i for i, r in enumerate(rows) if r[fields[0]] == key)
    rows[index].update(changes)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields, lineterminator=eol)
        writer.writeheader()
        writer.writerows(rows)
    return index + 2


@pytest.mark.parametrize("figure_id, changes", [
    ("wr24_used_car_exports_2024", {"period": "2024年"}),  # 7个月累计: no year, no 今年
    ("wr24_building_revenue_2024", {"period": "2024年"}),  # 近年来 … 年营收
    ("wr24_zhongtong_trade_2024", {"period": "2024年1-10月"}),  # the month span is not the quote's
    # an inherited word must stand in the document before the quote
    ("wr24_key_projects_implementation_2024", {"note": "期间承上文“2024年”"}),
    ("sd22_rank_provincial_2021", {"period": "2022年"}),  # the deck's year, but the quote says no year
])
def test_build_refuses_a_calendar_year_the_quote_does_not_give(data_copy, figure_id, changes):
    line = edit_row(data_copy, FIGURE_FILE if figure_id.startswith("wr24") else "figures/speech_deck_2022.csv",
                    figure_id, **changes)
    file = FIGURE_FILE if figure_id.startswith("wr24") else "figures/speech_deck_2022.csv"
    assert any(m.startswith(f"{file}:{line}: period: the period's year is not in the quote")
               for m in problems_of(data_copy))


def test_build_refuses_a_derived_figure_from_approximate_inputs_without_yue(data_copy):
    line = edit_row(data_copy, "derived.csv", "drv_zoucheng_tax_per_mu_2021",
                    label_zh="邹城经开区2021年亩均税收（由“五分之一”推算）", label_en="Zoucheng ETDZ 2021 tax per mu")
    messages = problems_of(data_copy)
    assert f"derived.csv:{line}: label_zh: derived from approximate figures (余, 以上, 五分之一 …): " \
           "the label must say 约 / approx. — '邹城经开区2021年亩均税收（由“五分之一”推算）'" in messages
    assert any(m.startswith(f"derived.csv:{line}: label_en: derived from approximate") for m in messages)


def test_validator_names_missing_column(data_copy):
    path = data_copy / FIGURE_FILE
    text = path.read_text(encoding="utf-8").replace("qualifier,", "", 1)
    path.write_text(text, encoding="utf-8")
    assert f"{FIGURE_FILE}:1: qualifier: missing column" in problems_of(data_copy)


def test_problem_messages_are_bilingual(data_copy):
    edit_first_figure(data_copy, unit="亿斤")
    with pytest.raises(ValidationError) as err:
        load_curated(data_copy)
    assert "未知单位" in err.value.problems[0].message("zh")


# ---------- the build ----------

def digest(db: Path) -> str:
    c = duckdb.connect(str(db), read_only=True)
    h = hashlib.sha256()
    for (name,) in c.execute("SELECT table_name FROM information_schema.tables ORDER BY 1").fetchall():
        # rows as a sorted list: a view's row order is not part of its contents
        rows = c.execute(f'SELECT * FROM "{name}"').df().to_csv(index=False).splitlines()
        h.update("\n".join(rows[:1] + sorted(rows[1:])).encode())
    c.close()
    return h.hexdigest()


def test_build_is_deterministic(data_copy, tmp_path):
    build(data_copy, tmp_path / "a.duckdb")
    build(data_copy, tmp_path / "b.duckdb")
    assert digest(tmp_path / "a.duckdb") == digest(tmp_path / "b.duckdb")


def test_bad_data_leaves_the_old_database_untouched(data_copy, tmp_path):
    db = tmp_path / "etdz.duckdb"
    build(data_copy, db)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    edit_first_figure(data_copy, unit="亿斤")
    with pytest.raises(ValidationError):
        build(data_copy, db)
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    assert [p.name for p in tmp_path.iterdir() if "tmp" in p.name] == []


def test_the_press_feature_is_titled_as_one_with_its_byline(con):
    title, short, kind, text = con.execute("SELECT title_en, short_en, kind, text FROM sources "
                                           "WHERE source_id = 'work_report_2024'").fetchone()
    assert "张超 通讯员 冉令军 聊城报道" in text  # the byline at the head of the text
    assert "press feature by Zhang Chao, correspondent Ran Lingjun" in title
    assert (short, kind) == ("2024 press feature", "press")


def test_the_audit_is_the_shipped_rows_as_they_are():
    """data/AUDIT.md drifted from the data (percentiles, a doubled note): it is written from the database."""
    from etl import audit
    from etl.inputs import DATA_DIR, DB_PATH
    written = (DATA_DIR / "AUDIT.md").read_text(encoding="utf-8")
    assert written == audit.render(DB_PATH), "data/AUDIT.md is stale: run make db"
    # the province-rank position is the one formula the cards use (倒数第18 of 160 = 约11.3%), once
    assert "推算 11.3% = (160 - {sd22_rank_provincial_2021} + 1) / 160 * 100" in written
    assert "截至文件日期，截至文件日期" not in written


def test_a_quote_read_masked_dates_its_period_as_the_quote_itself_does():
    """check_period_years reads most quotes once per period_reading (a table's cells differ only in
    numbers): for any text of the grammar's characters and others, the masked text with the years it
    writes gives the same verdict as the text itself."""
    import random

    from etl import validate
    from etl.periods import period_years

    con = duckdb.connect()
    validate.Validator(con)
    con.execute(validate._period_reading_macro())
    chars = list("0123456789.-~年月季度截至底末以来今全本去上同较比与于相前个份日一二三四五六七八九十半下当期建成投产后达自累计至到１２－—．～")
    chars += list("报企业!C｜：，x合−%")
    periods = ["2025年", "2025年1-5月", "2025年5月", "2025年末", "2025年5月末", "2021-2025年", "2025年以来", "2025年一季度",
               "2024年", "2025年12月", "2025年上半年"]
    rng = random.Random(0)
    cases = ["企业月报!E2合成企业0001｜1-3月产值同比（%）：−3.3", "截至3月末从业人员（人）：2025", "1至6月，全区增长5%"]
    cases += ["".join(rng.choice(chars) for _ in range(rng.randint(1, 14))) for _ in range(3000)]
    refused = 0
    for text in cases:
        reading = con.execute("SELECT period_reading(?)", [text]).fetchone()[0]
        for period in rng.sample(periods, 3):
            kind, written = parse_period(period).kind, [str(y) in text for y in period_years(period)]
            for year in (2025, 2024, None):
                verdict = validate._year_problem(text, period, kind, "", year)
                assert validate._year_problem(reading, period, kind, "", year, written=written) == verdict, (text, period)
                refused += verdict is not None
    assert 0 < refused < len(cases) * 9  # both verdicts occur


@pytest.mark.parametrize("encode", [
    lambda text: text.encode("gb18030"),  # Chinese Windows' default
    lambda text: text.replace("\n", "\r\n").encode("utf-8"),
    lambda text: b"\xef\xbb\xbf" + text.replace("\n", "\r").encode("utf-8"),  # BOM, old Mac line ends
], ids=["gbk", "crlf", "bom-cr"])
def test_a_source_document_is_read_as_an_upload_is(data_copy, tmp_path, con, encode):
    path = data_copy / "sources" / "work_report_2024.txt"
    text = path.read_text(encoding="utf-8")
    path.write_bytes(encode(text))
    db = tmp_path / "out.duckdb"
    build(data_copy, db)
    with duckdb.connect(str(db), read_only=True) as c:
        stored = c.execute("SELECT text FROM sources WHERE source_id = 'work_report_2024'").fetchone()[0]
        quoted = c.execute("SELECT count(*) FROM facts WHERE source_id = 'work_report_2024'").fetchone()[0]
    shipped = con.execute("SELECT count(*) FROM facts WHERE source_id = 'work_report_2024'").fetchone()[0]
    assert stored == text and quoted == shipped > 50


def test_a_source_document_neither_utf8_nor_gbk_is_named(data_copy):
    (data_copy / "sources" / "speech_deck_2022.txt").write_bytes("聊城".encode("utf-8") + b"\x80\xff\xfe")
    line = 1 + next(n for n, r in enumerate(csv.DictReader((data_copy / "sources.csv").open(encoding="utf-8")),
                                          start=1) if r["source_id"] == "speech_deck_2022")
    messages = problems_of(data_copy)
    assert f"sources.csv:{line}: file: file encoding not recognised (use UTF-8 or GBK) — " \
           "speech_deck_2022.txt: not UTF-8 or GBK" in messages, messages
