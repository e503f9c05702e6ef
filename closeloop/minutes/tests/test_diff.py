"""Differences between versions, section by section (pure)."""

from closeloop.minutes.diff import DELETE, EQUAL, INSERT, Segment, sections_diff, text_diff


def test_a_changed_chinese_character_is_one_small_change_not_a_whole_line():
    segments = text_diff("财务部在本周五前提交成本报告", "财务部在本周四前提交成本报告")
    assert segments == [Segment(EQUAL, "财务部在本周"), Segment(DELETE, "五"), Segment(INSERT, "四"),
                        Segment(EQUAL, "前提交成本报告")]


def test_english_changes_by_whole_words():
    segments = text_diff("Finance sends the cost report", "Finance sends the revised cost report")
    assert Segment(INSERT, "revised ") in segments
    assert "".join(s.text for s in segments if s.kind != DELETE) == "Finance sends the revised cost report"


def test_joining_unchanged_and_deleted_gives_the_old_text_and_unchanged_and_inserted_the_new():
    old, new = "1.提交成本报告\n2.优化落地页", "1.提交成本报告(两种方案)\n3.复盘"
    segments = text_diff(old, new)
    assert "".join(s.text for s in segments if s.kind != INSERT) == old
    assert "".join(s.text for s in segments if s.kind != DELETE) == new


def test_sections_are_compared_in_template_order_and_marked_changed():
    sections = [("title", "会议名称"), ("decisions", "决议事项")]
    rows = sections_diff({"title": "周会", "decisions": "同意"}, {"title": "周会", "decisions": "同意增加"}, sections)
    assert [(r.key, r.label, r.changed) for r in rows] == [
        ("title", "会议名称", False), ("decisions", "决议事项", True)]
    assert rows[1].segments == [Segment(EQUAL, "同意"), Segment(INSERT, "增加")]


def test_a_missing_section_counts_as_empty():
    [row] = sections_diff({}, {"title": "周会"}, [("title", "会议名称")])
    assert row.changed and row.segments == [Segment(INSERT, "周会")]
