"""The phrase table: each due phrase as a pattern and the function that resolves it on the calendar.

`_rule` registers a pattern (with the deadline words around it: 在/于/截止/by … and 前/之前/内 …, and a time of
day that is dropped) together with its resolver `(match, ctx) -> (date | None, flags)`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from ..numbers import number
from .dates import (
    _NEXT_YEAR_AFTER_DAYS,
    FLAG_NO_HOLIDAY,
    FLAG_UNKNOWN_YEAR,
    HOLIDAY_ALIASES,
    add_months,
    first_working_day,
    holiday_period,
    last_working_day_before,
    month_end,
    next_weekday,
    quarter_end,
    week_monday,
)

_N = r"(\d{1,3}|[零一二两三四五六七八九十百]{1,4})"
_EN_N = (r"(\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourteen|fifteen|twenty"
         r"|thirty)")
_WD_CN = r"([一二三四五六日天])"
_WD_EN = r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_MONTHS_EN = (r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
              r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
_EN_MONTH_NUM = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
                 "oct": 10, "nov": 11, "dec": 12}
_CN_WEEKDAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_EN_WEEKDAY = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
               "sunday": 6}
_HOLIDAY_CN = r"(元旦|春节|清明|五一|劳动|端午|中秋|国庆|十一)"
_HOLIDAY_EN = r"(new year(?:'s day)?|spring festival|chinese new year|qingming|labou?r day|dragon boat(?: festival)?" \
              r"|mid-autumn(?: festival)?|national day)"

# Before a phrase: words that make it a deadline (kept in the span so the task reads without them).
_PRE = (r"(?:(?:(?:no later than|not later than|by|before|until|till|due|on|in|at|for)\s+(?:the\s+)?)"
        r"|(?:最迟|最晚|务必|须|需)?(?:在|于|截止到?|截至到?|到|至|赶在)\s*)?")
# After a date: a weekday in brackets and a time of day, both dropped; then the deadline word.
_TIME = (r"(?:\s*\((?:周|星期|礼拜)[^)]{0,12}\))?"
         r"(?:\s*(?:(?:上午|下午|中午|晚上|早上|傍晚|凌晨)?\s*(?:\d{1,2}|[一二两三四五六七八九十]{1,3})\s*"
         r"(?::\d{2}|点(?:半|\d{1,2}分?|[一二三四五六七八九十]{1,3}分)?|时)"
         r"|上午|下午|中午|晚上|下班|午饭|(?:at\s+)?\d{1,2}(?::\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)"
         r"|(?:\s*(?:eod|cob|close of business|end of day))))?")
_POST = r"(?:\s*(?:之前|以前|前|为止|之内|以内|内|截止|止))?"


@dataclass(frozen=True)
class _Rule:
    pattern: re.Pattern
    resolve: Callable  # (match, ctx) -> (date | None, flags tuple)


RULES: list[_Rule] = []


def _rule(regex: str, *, time=True):
    pattern = re.compile(_PRE + "(?:" + regex + ")" + (_TIME if time else "") + _POST, re.IGNORECASE)

    def register(func):
        RULES.append(_Rule(pattern, func))
        return func
    return register


def _explicit(ctx, month, day, year=None):
    try:
        value = dt.date(year or ctx.date.year, month, day)
    except ValueError:
        return None, ()
    if year is None and (ctx.date - value).days > _NEXT_YEAR_AFTER_DAYS:
        try:
            value = dt.date(ctx.date.year + 1, month, day)
        except ValueError:
            return None, ()
    return value, ()


@_rule(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?")
def _iso(m, ctx):
    return _explicit(ctx, int(m[2]), int(m[3]), int(m[1]))


@_rule(_N + r"\s*月\s*" + _N + r"\s*[日号]")
def _cn_month_day(m, ctx):
    month, day = number(m[1]), number(m[2])
    if month is None or day is None:
        return None, ()
    return _explicit(ctx, month, day)


@_rule(r"(?<![A-Za-z0-9./\-])(\d{1,2})/(\d{1,2})(?![A-Za-z0-9/%]|\.\d)")
def _slash(m, ctx):
    return _explicit(ctx, int(m[1]), int(m[2]))


# 5.8 is a date only when said as one (5.8前, 截止5.8): V2.3, 3.2% and 1.5倍 are not.
@_rule(r"(?<![A-Za-z0-9.])(\d{1,2})\.(\d{1,2})(?=\s*(?:之前|以前|前|号|日|截止|为止))")
def _dot(m, ctx):
    return _explicit(ctx, int(m[1]), int(m[2]))


@_rule(_MONTHS_EN + r"\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s*(\d{4}))?")
def _en_month_day(m, ctx):
    return _explicit(ctx, _EN_MONTH_NUM[m[1][:3].lower()], int(m[2]), int(m[3]) if m[3] else None)


@_rule(r"(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTHS_EN + r"\b(?:,?\s*(\d{4}))?")
def _en_day_month(m, ctx):
    return _explicit(ctx, _EN_MONTH_NUM[m[2][:3].lower()], int(m[1]), int(m[3]) if m[3] else None)


def _day_of_month(ctx, day, months_ahead=0):
    """Day `day` of this month (or of a month ahead); a day already past this month means next month's."""
    year, month = add_months(ctx.date, months_ahead)
    for _step in range(3):
        try:
            value = dt.date(year, month, day)
        except ValueError:
            value = None
        if value is not None and (months_ahead or value >= ctx.date):
            return value, ()
        if months_ahead:
            return None, ()
        year, month = add_months(dt.date(year, month, 1), 1)
    return None, ()


@_rule(r"(下个?月|本月|这个?月)\s*" + _N + r"\s*[日号]")
def _month_ahead_day(m, ctx):
    day = number(m[2])
    return _day_of_month(ctx, day, 1 if m[1].startswith("下") else 0) if day else (None, ())


# "15号前", "by the 15th": a day of this month (next month's when already past).
@_rule(r"(?<![月\d.\-/])(\d{1,2})\s*[号日](?=\s*(?:之前|以前|前|截止|为止))|the (\d{1,2})(?:st|nd|rd|th)\b(?! of)")
def _day_only(m, ctx):
    return _day_of_month(ctx, int(m[1] or m[2]))


@_rule(r"(下个?月|本月|这个?月|月)\s*中(?:旬)?|mid-?(next )?month", time=False)
def _mid_month(m, ctx):
    ahead = 1 if (m[1] or "").startswith("下") or m[2] else 0
    if m[1] in (None, "月") and not m[2] and ctx.date.day > 15:
        ahead = 1  # an unqualified 月中 already past: the next month's
    year, month = add_months(ctx.date, ahead)
    return dt.date(year, month, 15), ()


@_rule(r"(上半年|年中|下半年)\s*(?:之内|以内|内|末|底|结束)?|(?:by )?mid-?year|end of (?:the )?first half|h1 end",
       time=False)
def _half_year(m, ctx):
    second = m[1] == "下半年"
    return dt.date(ctx.date.year, 12 if second else 6, 31 if second else 30), ()


@_rule(_N + r"\s*(?:个)?\s*(工作日|天|日|周|星期)后(?![\u3400-\u9fff]{0,2}(?:内|期间))"
       r"|in " + _EN_N + r" (working |business )?(day|week)s?(?:'|’)? time", time=False)
def _after_duration(m, ctx):
    if m[1] is not None:
        count, unit = number(m[1]), m[2]
    else:
        count, unit = _en_number(m[3]), "工作日" if m[4] else {"day": "天", "week": "周"}[m[5].lower()]
    if count is None or count > 3660:
        return None, ()
    if unit == "工作日":
        result = ctx.calendar.add_working_days(ctx.date, count)
        return result.date, (FLAG_UNKNOWN_YEAR,) if result.assumed else ()
    return ctx.date + dt.timedelta(days=count * (7 if unit in ("周", "星期") else 1)), ()


@_rule(_WD_EN + r"\s+(?:of\s+)?(next|this) week\b")
def _en_weekday_week(m, ctx):
    return _week_day(ctx, "下" if m[2].lower() == "next" else "本", _EN_WEEKDAY[m[1].lower()]), ()


@_rule(r"(今天|今日|当天|当日|今晚|today|tonight|end of (?:the )?day|eod|cob)")
def _today(m, ctx):
    return ctx.date, ()


@_rule(r"(大后天|后天|明天|明日|次日|(?:the )?day after tomorrow|tomorrow)")
def _tomorrow(m, ctx):
    word = m[1].lower()
    days = 3 if word == "大后天" else 2 if word in ("后天",) or "after" in word else 1
    return ctx.date + dt.timedelta(days=days), ()


@_rule(r"(?<!每)(下下|下个?|本|这个?|这)?\s*(?:周|星期|礼拜)" + _WD_CN)
def _cn_weekday(m, ctx):
    return _week_day(ctx, m[1] or "", _CN_WEEKDAY[m[2]]), ()


@_rule(r"(?:(next|this|coming)\s+)?" + _WD_EN + r"\b")
def _en_weekday(m, ctx):
    qualifier = {"next": "下", "this": "本", "coming": ""}.get((m[1] or "").lower(), "")
    return _week_day(ctx, qualifier, _EN_WEEKDAY[m[2].lower()]), ()


def _week_day(ctx, qualifier, weekday):
    qualifier = qualifier.replace("个", "")
    if qualifier in ("本", "这"):
        return week_monday(ctx.date) + dt.timedelta(days=weekday)
    if qualifier in ("下", "下下"):
        weeks = len(qualifier)
        return week_monday(ctx.date) + dt.timedelta(days=7 * weeks + weekday)
    return next_weekday(ctx.date, weekday)


@_rule(r"(下下|下个?|本|这个?|这)?\s*(?:周末|周内|星期内)|(this|next)\s+weekend|end of (the |this |next )?week"
       r"|(?:the )?weekend", time=False)
def _weekend(m, ctx):
    qualifier = (m[1] or m[2] or m[3] or "").strip().lower().replace("个", "")
    weeks = {"下": 1, "next": 1, "下下": 2}.get(qualifier, 0)
    return week_monday(ctx.date) + dt.timedelta(days=7 * weeks + 6), ()


@_rule(r"(?:within|in|inside)\s+" + _EN_N + r"\s+(working|business|work)?\s*(day|week|hour|fortnight)s?"
       r"|" + _N + r"\s*(?:个)?\s*(工作日|天|日|周|星期|礼拜|小时)(?=\s*(?:之内|以内|内))", time=False)
def _duration(m, ctx):
    if m[1] is not None:
        count, unit = _en_number(m[1]), m[3].lower()
        unit = "working" if m[2] else unit
        if unit == "fortnight":
            count, unit = (count or 0) * 2, "week"
    else:
        count = number(m[4])
        unit = {"工作日": "working", "天": "day", "日": "day", "周": "week", "星期": "week", "礼拜": "week",
                "小时": "hour"}[m[5]]
    if count is None or count > 3660:
        return None, ()
    if unit == "working":
        result = ctx.calendar.add_working_days(ctx.date, count)
        return result.date, (FLAG_UNKNOWN_YEAR,) if result.assumed else ()
    if unit == "hour":
        return (ctx.start + dt.timedelta(hours=count)).date(), ()
    return ctx.date + dt.timedelta(days=count * (7 if unit == "week" else 1)), ()


def _en_number(word):
    words = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
             "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fourteen": 14, "fifteen": 15,
             "twenty": 20, "thirty": 30}
    word = word.lower()
    return int(word) if word.isdigit() else words.get(word)


@_rule(r"(下个?月|本月|这个?月|当月)\s*(?:底|末|之内|以内|内)|(?:本|这个?|当)?月(?:底|末)"
       r"|end of (?:the |this )?month|month[- ]end|\beom\b|end of (next) month", time=False)
def _month_end(m, ctx):
    qualifier = (m[1] or m[2] or "").lower()
    months = 1 if qualifier.startswith(("下", "next")) else 0
    return month_end(*add_months(ctx.date, months)), ()


@_rule(r"(下个?月|next month)\s*(?:初|月初)|(?:early|beginning of|start of) next month", time=False)
def _next_month_start(m, ctx):
    year, month = add_months(ctx.date, 1)
    day = first_working_day(ctx.calendar, dt.date(year, month, 1))
    return day, () if day else (FLAG_UNKNOWN_YEAR,)


@_rule(_N + r"\s*月(?:份)?\s*(底|末|初)")
def _month_named(m, ctx):
    month = number(m[1])
    if month is None or not 1 <= month <= 12:
        return None, ()
    year = ctx.date.year
    if (ctx.date - month_end(year, month)).days > _NEXT_YEAR_AFTER_DAYS:
        year += 1
    if m[2] == "初":
        day = first_working_day(ctx.calendar, dt.date(year, month, 1))
        return day, () if day else (FLAG_UNKNOWN_YEAR,)
    return month_end(year, month), ()


@_rule(r"(下个?|本|这个?)?\s*(?:季度|季)\s*(?:末|底|结束)|(?:第)?([一二三四1-4])\s*季度\s*(?:末|底)"
       r"|q([1-4])\s*(?:末|底|结束|end)|end of (?:the )?(?:(this |next )?quarter|q([1-4]))|quarter[- ]end",
       time=False)
def _quarter_end(m, ctx):
    current = (ctx.date.month - 1) // 3 + 1
    given = m[2] or m[3] or m[5]
    if given:
        quarter = number(given)
        year = ctx.date.year + (1 if quarter < current else 0)
        return quarter_end(year, quarter), ()
    ahead = 1 if (m[1] or m[4] or "").strip().startswith(("下", "next")) else 0
    index = ctx.date.year * 4 + current - 1 + ahead
    return quarter_end(index // 4, index % 4 + 1), ()


@_rule(r"(?:今年|本年|年)(?:底|末)|今年之?内|年内|end of (?:the |this )?year|year[- ]end|eoy", time=False)
def _year_end(m, ctx):
    return dt.date(ctx.date.year, 12, 31), ()


@_rule(_HOLIDAY_CN + r"(?:节|假期|长假|小长假|节假期)?\s*(?:放假)?(前)|(节|假期|放假|假)(前)"
       r"|before the (?:(?:public )?holiday|break|festival|" + _HOLIDAY_EN + r")(?: holiday| break)?",
       time=False)
def _before_holiday(m, ctx):
    names = _holiday_names(m[1] or m[5])
    period = holiday_period(ctx.calendar, ctx.date, names)
    if period is None:
        return None, (FLAG_NO_HOLIDAY,)
    return last_working_day_before(ctx.calendar, period[0]), ()


_FIRST_DAY = r"(?:第一天|第一个工作日|首个工作日|首日|上班第一天)?"


@_rule(r"(?:" + _HOLIDAY_CN + r"(?:节|假期|长假|小长假)|春节|元旦)\s*(?:结束|收假)?后" + _FIRST_DAY
       + r"|(?:节|假|假期|收假|节假日)后" + _FIRST_DAY
       + r"|(?:on\s+)?(?:the\s+)?first (?:working |business |work )?day (?:after|back from) the (?:holiday|break"
       r"|" + _HOLIDAY_EN + r")(?: holiday| break)?"
       r"|after the (?:holiday|break|" + _HOLIDAY_EN + r")(?: holiday| break)?", time=False)
def _after_holiday(m, ctx):
    names = _holiday_names(m[1] or m[2] or m[3] or _holiday_word(m[0]))
    period = holiday_period(ctx.calendar, ctx.date, names)
    if period is None:
        return None, (FLAG_NO_HOLIDAY,)
    return first_working_day(ctx.calendar, period[1] + dt.timedelta(days=1)), ()


def _holiday_word(text):
    for key in ("春节", "元旦"):
        if key in text:
            return key
    return None


def _holiday_names(word):
    if not word:
        return None
    word = word.lower()
    if word in HOLIDAY_ALIASES:
        return HOLIDAY_ALIASES[word]
    for aliases in HOLIDAY_ALIASES.values():
        if any(a in word or word in a for a in aliases[:2]):
            return aliases
    return None
