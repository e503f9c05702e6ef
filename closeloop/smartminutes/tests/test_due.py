"""Every due phrase, resolved around three Chinese holidays with adjusted working weekends, an organisation's
override, another country's calendar and a year no source knows. Pure: no database."""

import datetime as dt

import pytest

from closeloop.smartminutes.rules import DueContext, extract
from closeloop.smartminutes.rules.due import (
    FLAG_BEFORE_MEETING,
    FLAG_NO_HOLIDAY,
    FLAG_NOT_WORKING,
    FLAG_UNKNOWN_YEAR,
    choose_due,
    find_dues,
)
from closeloop.workcal.rules import WorkingCalendar

CN = WorkingCalendar("CN")
D = dt.date


def ctx(start, calendar=CN):
    return DueContext(dt.datetime.fromisoformat(start), calendar)


# Tue 2026-04-28 15:00, before Labour Day (05-01 Fri … 05-05 Tue off; Sat 05-09 is an adjusted working day).
LABOUR = ctx("2026-04-28T15:00")
# Tue 2026-09-29 10:00, before National Day (10-01 … 10-07 off; Sat 10-10 is an adjusted working day).
NATIONAL = ctx("2026-09-29T10:00")
# Thu 2026-02-12 09:00, before the Spring Festival (Sat 02-14 works; 02-15 … 02-23 off; Sat 02-28 works).
SPRING = ctx("2026-02-12T09:00")

LABOUR_CASES = [
    ("今天", D(2026, 4, 28)), ("今天下班前", D(2026, 4, 28)), ("明天", D(2026, 4, 29)), ("后天", D(2026, 4, 30)),
    ("本周四前", D(2026, 4, 30)), ("本周五", D(2026, 5, 1)), ("周五前", D(2026, 5, 1)), ("周一前", D(2026, 5, 4)),
    ("下周一", D(2026, 5, 4)), ("下周三前", D(2026, 5, 6)), ("下周五之前", D(2026, 5, 8)),
    ("下下周一前", D(2026, 5, 11)), ("下下周五", D(2026, 5, 15)), ("星期三前", D(2026, 4, 29)),
    ("本周末", D(2026, 5, 3)), ("周末前", D(2026, 5, 3)), ("下周末", D(2026, 5, 10)),
    ("一周内", D(2026, 5, 5)), ("两周内", D(2026, 5, 12)), ("10天内", D(2026, 5, 8)), ("三天内", D(2026, 5, 1)),
    ("1个工作日内", D(2026, 4, 29)), ("2个工作日内", D(2026, 4, 30)), ("3个工作日内", D(2026, 5, 6)),
    ("5个工作日内", D(2026, 5, 8)), ("6个工作日内", D(2026, 5, 9)), ("7个工作日内", D(2026, 5, 11)),
    ("十个工作日内", D(2026, 5, 14)), ("24小时内", D(2026, 4, 29)), ("48小时内", D(2026, 4, 30)),
    ("月底前", D(2026, 4, 30)), ("本月内", D(2026, 4, 30)), ("本月底", D(2026, 4, 30)),
    ("下月初", D(2026, 5, 6)), ("下月底前", D(2026, 5, 31)), ("5月底前", D(2026, 5, 31)),
    ("季度末前", D(2026, 6, 30)), ("Q2末前", D(2026, 6, 30)), ("年底前", D(2026, 12, 31)),
    ("节前", D(2026, 4, 30)), ("节后", D(2026, 5, 6)), ("节后第一天", D(2026, 5, 6)),
    ("五一前", D(2026, 4, 30)), ("劳动节后", D(2026, 5, 6)), ("端午节前", D(2026, 6, 18)),
    ("国庆节前", D(2026, 9, 30)), ("国庆节后", D(2026, 10, 8)),
    ("5月8日前", D(2026, 5, 8)), ("5月6日下午3点前", D(2026, 5, 6)), ("5月6日上午10:30前", D(2026, 5, 6)),
    ("5/8前", D(2026, 5, 8)), ("5.8前", D(2026, 5, 8)), ("2026-05-08前", D(2026, 5, 8)),
    ("2026年5月8日", D(2026, 5, 8)), ("5月9日(周六)前", D(2026, 5, 9)), ("截止5月12日", D(2026, 5, 12)),
    ("五月八号前", D(2026, 5, 8)), ("15号前", D(2026, 5, 15)), ("下个月10号前", D(2026, 5, 10)),
    ("月中前", D(2026, 5, 15)), ("下月中旬", D(2026, 5, 15)), ("3天后", D(2026, 5, 1)),
    ("3个工作日后", D(2026, 5, 6)), ("上半年内", D(2026, 6, 30)), ("下半年", D(2026, 12, 31)),
]


@pytest.mark.parametrize(("phrase", "expected"), LABOUR_CASES)
def test_each_chinese_phrase_resolves_around_labour_day(phrase, expected):
    result = extract(f"请张伟{phrase}提交渠道报告。", LABOUR)
    assert (result.kind, result.owner, result.due) == ("action", "张伟", expected)
    assert ("due_not_working_day" in result.flags) == (not CN.is_working_day(expected))


ENGLISH_CASES = [
    ("today", D(2026, 4, 28)), ("by end of day", D(2026, 4, 28)), ("tomorrow", D(2026, 4, 29)),
    ("by Friday", D(2026, 5, 1)), ("by this Thursday", D(2026, 4, 30)), ("by next Monday", D(2026, 5, 4)),
    ("next Wednesday", D(2026, 5, 6)), ("by the end of the week", D(2026, 5, 3)), ("next weekend", D(2026, 5, 10)),
    ("within 24 hours", D(2026, 4, 29)), ("within 3 working days", D(2026, 5, 6)),
    ("within 6 business days", D(2026, 5, 9)), ("within two weeks", D(2026, 5, 12)),
    ("within 10 days", D(2026, 5, 8)), ("in a week", D(2026, 5, 5)),
    ("by end of month", D(2026, 4, 30)), ("by the end of next month", D(2026, 5, 31)),
    ("by end of quarter", D(2026, 6, 30)), ("by end of Q3", D(2026, 9, 30)), ("by year-end", D(2026, 12, 31)),
    ("by May 8", D(2026, 5, 8)), ("on 12 May", D(2026, 5, 12)), ("by May 8th, 2026", D(2026, 5, 8)),
    ("before the holiday", D(2026, 4, 30)), ("after the holiday", D(2026, 5, 6)),
    ("on the first working day after the holiday", D(2026, 5, 6)),
    ("before the Dragon Boat Festival", D(2026, 6, 18)), ("by the 5th", D(2026, 5, 5)),
    ("by Friday next week", D(2026, 5, 8)), ("within a fortnight", D(2026, 5, 12)),
    ("in two weeks' time", D(2026, 5, 12)),
]


@pytest.mark.parametrize(("phrase", "expected"), ENGLISH_CASES)
def test_each_english_phrase_resolves_around_labour_day(phrase, expected):
    result = extract(f"Emma to send the channel report {phrase}.", LABOUR)
    assert (result.kind, result.owner, result.due) == ("action", "Emma", expected)
    assert result.task == "send the channel report"


NATIONAL_CASES = [
    ("明天", D(2026, 9, 30)), ("节前", D(2026, 9, 30)), ("节后", D(2026, 10, 8)), ("国庆前", D(2026, 9, 30)),
    ("国庆节后第一天", D(2026, 10, 8)), ("2个工作日内", D(2026, 10, 8)), ("4个工作日内", D(2026, 10, 10)),
    ("5个工作日内", D(2026, 10, 12)), ("周四前", D(2026, 10, 1)), ("下周五", D(2026, 10, 9)),
    ("下周六前", D(2026, 10, 10)), ("48小时内", D(2026, 10, 1)), ("月底前", D(2026, 9, 30)),
    ("季度末", D(2026, 9, 30)), ("下月初", D(2026, 10, 8)), ("10/15前", D(2026, 10, 15)),
]


@pytest.mark.parametrize(("phrase", "expected"), NATIONAL_CASES)
def test_each_phrase_resolves_around_national_day(phrase, expected):
    assert extract(f"质量部{phrase}完成出货抽检。", NATIONAL).due == expected


SPRING_CASES = [
    ("节前", D(2026, 2, 14)), ("春节前", D(2026, 2, 14)), ("春节后", D(2026, 2, 24)), ("节后第一天", D(2026, 2, 24)),
    ("2个工作日内", D(2026, 2, 14)), ("3个工作日内", D(2026, 2, 24)), ("本周末", D(2026, 2, 15)),
    ("下周一前", D(2026, 2, 16)), ("下下周三", D(2026, 2, 25)), ("月底前", D(2026, 2, 28)),
    ("一周内", D(2026, 2, 19)), ("下月初", D(2026, 3, 2)), ("清明节前", D(2026, 4, 3)),
]


@pytest.mark.parametrize(("phrase", "expected"), SPRING_CASES)
def test_each_phrase_resolves_around_the_spring_festival(phrase, expected):
    assert extract(f"请陈静{phrase}提交年货采购清单。", SPRING).due == expected


def test_an_adjusted_working_saturday_is_not_flagged_and_a_holiday_is():
    saturday = extract("请陈静2月14日前提交清单。", SPRING)
    holiday = extract("请陈静2月16日前提交清单。", SPRING)
    assert saturday.due == D(2026, 2, 14) and "due_not_working_day" not in saturday.flags
    assert holiday.due == D(2026, 2, 16) and "due_not_working_day" in holiday.flags


def test_the_organisations_own_day_off_moves_working_day_counts_and_the_holiday_end():
    company = WorkingCalendar("CN", {D(2026, 5, 6): (False, "公司假日")})
    context = ctx("2026-04-28T15:00", company)
    assert extract("请张伟3个工作日内提交报告。", context).due == D(2026, 5, 7)
    assert extract("请张伟节后提交报告。", context).due == D(2026, 5, 7)


def test_another_countrys_calendar_names_its_own_holiday():
    context = ctx("2026-11-24T10:00", WorkingCalendar("US"))
    assert extract("Tom to file the report before the holiday.", context).due == D(2026, 11, 25)
    assert extract("Tom to file the report after the holiday.", context).due == D(2026, 11, 27)
    assert extract("Tom to file the report within 3 working days.", context).due == D(2026, 11, 30)


def test_a_year_the_calendar_does_not_know_is_flagged_never_guessed_silently():
    december = ctx("2026-12-28T10:00")
    explicit = extract("请张伟1月5日前提交年度总结。", december)
    assert explicit.due == D(2027, 1, 5) and FLAG_UNKNOWN_YEAR in explicit.flags
    counted = extract("请张伟5个工作日内提交年度总结。", december)
    assert counted.due is not None and FLAG_UNKNOWN_YEAR in counted.flags
    within = extract("请张伟3个工作日内提交年度总结。", december)
    assert within.due == D(2026, 12, 31) and FLAG_UNKNOWN_YEAR not in within.flags


def test_a_holiday_beyond_the_known_years_gives_no_date_and_says_so():
    dues = find_dues("春节后提交", ctx("2026-12-28T10:00"))
    assert dues and dues[0].date is None and FLAG_NO_HOLIDAY in dues[0].flags


def test_a_date_before_the_meeting_is_flagged():
    result = extract("请张伟4月20日前提交报告。", LABOUR)
    assert result.due == D(2026, 4, 20) and FLAG_BEFORE_MEETING in result.flags


@pytest.mark.parametrize("text", [
    "V2.3版本测试包", "转化率为3.2%", "618大促预热方案", "提交Q2渠道报告", "5个工作日缩短为3个工作日", "增长1.5倍",
    "规则是30天", "the April books", "24/7 support",
])
def test_numbers_that_are_not_dates_give_no_due(text):
    assert find_dues(text, LABOUR) == []


def test_a_phrase_said_as_a_deadline_wins_over_a_date_in_the_task():
    dues = find_dues("整理4月20日会议的纪要,5月8日前提交", LABOUR)
    assert choose_due(dues).date == D(2026, 5, 8)


def test_a_flagged_non_working_due_keeps_the_literal_date():
    result = extract("运营部负责本周五前上线活动页面。", LABOUR)
    assert result.due == D(2026, 5, 1) and FLAG_NOT_WORKING in result.flags
