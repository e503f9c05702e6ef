"""The archive's pure rules: the 年份-部门-项目 tree from rows, the trail to a branch, highlighted excerpts."""

from closeloop.archive import rules
from closeloop.archive.rules import NONE


def shape(tree):
    return [(y.key, y.count, [(d.key, d.name, d.count, [(p.key, p.name, p.count) for p in d.children])
                              for d in y.children]) for y in tree]


def test_the_tree_counts_a_meeting_once_per_year_and_once_under_each_of_its_departments():
    meetings = [(1, 2026, 7, "Q3推广"), (2, 2026, None, None), (3, 2025, 7, "Q3推广"), (4, 2026, 7, "Q3推广")]
    departments = {1: [(10, "市场部"), (11, "销售部")], 2: [(10, "市场部")], 3: [(12, "财务部")],
                   4: [(11, "销售部"), (11, "销售部")]}
    assert shape(rules.build_tree(meetings, departments)) == [
        ("2026", 3, [("10", "市场部", 2, [("7", "Q3推广", 1), (NONE, "", 1)]),
                     ("11", "销售部", 2, [("7", "Q3推广", 2)])]),
        ("2025", 1, [("12", "财务部", 1, [("7", "Q3推广", 1)])]),
    ]


def test_a_meeting_without_any_department_goes_under_no_department_listed_last():
    tree = rules.build_tree([(1, 2026, None, None), (2, 2026, 3, "甲")], {2: [(9, "总经办")]})
    assert [(d.key, d.count) for d in tree[0].children] == [("9", 1), (NONE, 1)]


def test_the_trail_follows_the_chosen_keys_and_stops_at_an_unknown_one():
    tree = rules.build_tree([(1, 2026, 7, "Q3推广")], {1: [(10, "市场部")]})
    assert [n.name for n in rules.trail(tree, 2026, "10", "7")] == ["2026", "市场部", "Q3推广"]
    assert [n.name for n in rules.trail(tree, 2026, "99", "7")] == ["2026"]
    assert rules.trail(tree, None, "10") == []


def test_spans_are_case_insensitive_and_do_not_overlap():
    assert rules.spans("Cost report, COST REPORT and cost", "cost report") == [(0, 11), (13, 24)]
    assert rules.spans("aaaa", "aa") == [(0, 2), (2, 4)]
    assert rules.spans("提交成本报告", "成本报告") == [(2, 6)]
    assert rules.spans("", "x") == [] and rules.spans("x", "") == []


def test_a_long_text_is_cut_around_the_first_match_and_the_spans_follow_the_cut():
    text = "甲" * 100 + "\n提交成本报告\n" + "乙" * 100
    excerpt, found = rules.snippet(text, "成本报告", width=10)
    assert excerpt.startswith("…") and excerpt.endswith("…")
    assert "\n" not in excerpt
    [(start, end)] = found
    assert excerpt[start:end] == "成本报告"


def test_regex_characters_in_the_words_are_taken_literally():
    assert rules.spans("cost (Q3) + 50%", "(q3) + 50%") == [(5, 15)]


def test_segments_mark_the_matches_and_keep_the_rest():
    assert rules.segments("提交成本报告了", [(2, 6)]) == [("提交", False), ("成本报告", True), ("了", False)]
    assert rules.segments("abc", []) == [("abc", False)]
