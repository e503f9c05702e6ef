"""Charts as SVG built on the server: no JavaScript, no CDN, and nothing the Content-Security-Policy forbids.

The policy allows styles only from the app's own stylesheet (`style-src 'self'`), so a chart may carry no
`style` attribute and no `<style>` element (SVG chart libraries such as pygal embed both); everything here is
presentation attributes. Text uses the CJK fonts the page uses, so Chinese labels render.
"""

from collections import defaultdict
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from closeloop.insight.rules import histogram
from closeloop.meetings.choices import MeetingType

FONT = "Noto Sans CJK SC, Noto Sans SC, PingFang SC, Microsoft YaHei, sans-serif"
PALETTE = ["#2563eb", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6", "#64748b", "#ec4899", "#14b8a6"]
WIDTH, HEIGHT = 640, 320
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 40, 72


def _attrs(**attrs):
    return "".join(f" {k.rstrip('_').replace('_', '-')}={quoteattr(str(v))}" for k, v in attrs.items()
                   if v is not None)


def _el(tag, text=None, **attrs):
    if text is None:
        return f"<{tag}{_attrs(**attrs)}/>"
    return f"<{tag}{_attrs(**attrs)}>{escape(str(text))}</{tag}>"


def _nice_max(value):
    """A round upper bound for the axis: 1, 2, 2.5 or 5 × a power of ten, at least the value."""
    if value <= 0:
        return 1
    power = 1
    while power * 10 <= value:
        power *= 10
    while power > value:
        power /= 10
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power


def _fmt(value, percent=False):
    if value is None:
        return "—"
    if percent:
        return f"{value * 100:.0f}%"
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


class _Frame:
    """The plot area, its title and axis labels, and the y grid; charts draw into it."""

    def __init__(self, chart_id, title, x_label, y_label, y_max, percent=False):
        self.id, self.percent = chart_id, percent
        self.y_max = 1 if percent else _nice_max(y_max)
        self.x0, self.y0 = LEFT, HEIGHT - BOTTOM
        self.w, self.h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
        self.parts = [
            _el("title", title, id=f"{chart_id}-title"),
            _el("text", title, x=WIDTH / 2, y=22, text_anchor="middle", font_size=15, font_weight="bold"),
            _el("text", x_label, x=self.x0 + self.w / 2, y=HEIGHT - 8, text_anchor="middle", font_size=12,
                class_="axis-label"),
            _el("text", y_label, x=14, y=TOP + self.h / 2, text_anchor="middle", font_size=12,
                transform=f"rotate(-90 14 {TOP + self.h / 2})", class_="axis-label"),
        ]
        for i in range(5):
            value = self.y_max * i / 4
            y = self.y(value)
            self.parts.append(_el("line", x1=self.x0, x2=self.x0 + self.w, y1=y, y2=y, stroke="#e5e7eb"))
            self.parts.append(_el("text", _fmt(value, percent), x=self.x0 - 6, y=y + 4, text_anchor="end",
                                  font_size=11, fill="#374151"))
        self.parts.append(_el("line", x1=self.x0, x2=self.x0 + self.w, y1=self.y0, y2=self.y0, stroke="#374151"))

    def y(self, value):
        return round(self.y0 - self.h * min(value or 0, self.y_max) / self.y_max, 1)

    def category_label(self, x, label):
        text = str(label)
        short = text if len(text) <= 8 else text[:7] + "…"
        self.parts.append(_el("text", short, x=x, y=self.y0 + 16, text_anchor="middle", font_size=11,
                              fill="#374151"))

    def legend(self, names):
        x = self.x0
        for i, name in enumerate(names):
            self.parts.append(_el("rect", x=x, y=HEIGHT - 34, width=10, height=10, fill=PALETTE[i % len(PALETTE)]))
            self.parts.append(_el("text", name, x=x + 14, y=HEIGHT - 25, font_size=11))
            x += 24 + 12 * len(str(name))

    def svg(self, description):
        body = "".join(self.parts)
        return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
                f'height="{HEIGHT}" role="img" aria-labelledby="{self.id}-title {self.id}-desc" '
                f'font-family={quoteattr(FONT)} class="chart">'
                f'{_el("desc", description, id=f"{self.id}-desc")}{body}</svg>')


def bar_chart(chart_id, title, x_label, y_label, categories, series, *, stacked=False, percent=False):
    """Vertical bars: one group per category, one bar per series (or stacked). series = [(name, [values])]."""
    totals = [sum(v or 0 for v in values) for values in zip(*[s[1] for s in series], strict=True)] if stacked \
        else [max([v or 0 for _n, vals in series for v in vals] or [0])]
    frame = _Frame(chart_id, title, x_label, y_label, max(totals or [0]), percent)
    n = max(len(categories), 1)
    slot = frame.w / n
    bar_w = slot * 0.7 / (1 if stacked else max(len(series), 1))
    for i, category in enumerate(categories):
        left = frame.x0 + slot * i + slot * 0.15
        base = 0
        for j, (name, values) in enumerate(series):
            value = values[i]
            color = PALETTE[j % len(PALETTE)]
            if stacked:
                top, bottom = frame.y(base + (value or 0)), frame.y(base)
                x = left
                base += value or 0
            else:
                top, bottom = frame.y(value), frame.y0
                x = left + bar_w * j
            rect = _el("rect", x=round(x, 1), y=top, width=round(bar_w, 1), height=round(bottom - top, 1),
                       fill=color)
            frame.parts.append(rect.replace("/>", f">{_el('title', f'{category} · {name}: {_fmt(value, percent)}')}"
                                                  "</rect>"))
        frame.category_label(frame.x0 + slot * i + slot / 2, category)
    if len(series) > 1:
        frame.legend([name for name, _values in series])
    return frame.svg(_describe(categories, series, percent))


def line_chart(chart_id, title, x_label, y_label, labels, values):
    frame = _Frame(chart_id, title, x_label, y_label, max([v or 0 for v in values] or [0]))
    n = max(len(labels), 1)
    slot = frame.w / n
    points = [(round(frame.x0 + slot * i + slot / 2, 1), frame.y(v)) for i, v in enumerate(values)]
    if points:
        frame.parts.append(_el("polyline", points=" ".join(f"{x},{y}" for x, y in points), fill="none",
                               stroke=PALETTE[0], stroke_width=2))
    for (x, y), label, value in zip(points, labels, values, strict=True):
        frame.parts.append(_el("circle", cx=x, cy=y, r=3, fill=PALETTE[0]).replace(
            "/>", f">{_el('title', f'{label}: {_fmt(value)}')}</circle>"))
    step = max(1, n // 8)
    for i, label in enumerate(labels):
        if i % step == 0:
            frame.category_label(frame.x0 + slot * i + slot / 2, label)
    return frame.svg(_describe(labels, [(y_label, values)], False))


def funnel_chart(chart_id, title, x_label, y_label, stages):
    """Horizontal bars narrowing from the first stage: stages = [(label, value)]."""
    return bar_chart(chart_id, title, x_label, y_label, [s[0] for s in stages], [(y_label, [s[1] for s in stages])])


def _describe(categories, series, percent):
    return "; ".join(f"{c}: " + ", ".join(f"{name} {_fmt(vals[i], percent)}" for name, vals in series)
                     for i, c in enumerate(categories))


# The five charts of the page and the report, from one Dashboard, each with its table view.

@dataclass
class Chart:
    key: str
    title: str
    svg: str
    headers: list
    rows: list  # the table view: one list of cells per category


DELAY_EDGES = [1, 2, 3, 5, 10]


def delay_buckets():
    return [f"{a}–{b - 1}" if b - 1 > a else str(a) for a, b in zip(DELAY_EDGES, DELAY_EDGES[1:], strict=False)] + [
        f"≥{DELAY_EDGES[-1]}"]


# Working hours (09:00–18:00 on working days) from sending a request to its first answer: within two hours, half a
# day, the first working day, two working days, later.
ANSWER_EDGES = [0, 2, 4, 9, 18]


def answer_buckets():
    return [f"{a}–{b}" for a, b in zip(ANSWER_EDGES, ANSWER_EDGES[1:], strict=False)] + [f"≥{ANSWER_EDGES[-1]}"]


def chart_data(board):
    """[(key, title, x label, y label, categories, series, kind)]: what each chart shows, in the reader's language."""
    names = [name for name, _rate in board.on_time_by_department]
    weeks = list(board.trend)
    hours = defaultdict(float)
    types_seen = []
    dept_names = {d.pk: d.name for d in board.departments}
    for row in board.meeting_rows:
        if row.host_department_id in dept_names:
            hours[(dept_names[row.host_department_id], row.type)] += row.hours
            if row.type not in types_seen:
                types_seen.append(row.type)
    type_labels = dict(MeetingType.choices)
    return [
        ("on_time", _("On-time rate by department"), _("Department"), _("On-time rate"), names,
         [(_("On-time rate"), [rate for _name, rate in board.on_time_by_department])], "percent"),
        ("overdue_trend", _("Overdue items by week"), _("Week of"), _("Overdue items"),
         [w.strftime("%m-%d") for w in weeks], [(_("Overdue items"), [board.trend[w] for w in weeks])], "line"),
        ("meeting_hours", _("Meeting hours by hosting department"), _("Department"), _("Hours"), names,
         [(str(type_labels.get(t, t)), [hours[(n, t)] for n in names]) for t in types_seen] or [(_("Hours"),
                                                                                               [0] * len(names))],
         "stacked"),
        ("meeting_cost", _("Meeting cost by hosting department"), _("Department"), _("Cost (CNY)"), names,
         [(_("Meeting cost"), [cost or 0 for _name, _hours, cost in board.meeting_hours_by_department])], "bars"),
        ("answer_times", _("How long requests waited for their first answer"), _("Working hours"), _("Requests"),
         answer_buckets(), [(_("Requests"), histogram(
             [r.answer_hours for r in board.request_rows if r.answer_hours is not None], ANSWER_EDGES))], "bars"),
        ("delays", _("How late the late items were"), _("Working days late"), _("Items"), delay_buckets(),
         [(_("Items"), histogram(board.delays, DELAY_EDGES))], "bars"),
        ("funnel", _("From decisions to items done on time"), _("Stage"), _("Count"),
         [label for label, _v in board.funnel], [(_("Count"), [v for _l, v in board.funnel])], "bars"),
    ]


def build_charts(board):
    result = []
    for key, title, x_label, y_label, categories, series, kind in chart_data(board):
        if kind == "line":
            svg = line_chart(key, title, x_label, y_label, categories, series[0][1])
        else:
            svg = bar_chart(key, title, x_label, y_label, categories, series, stacked=kind == "stacked",
                                   percent=kind == "percent")
        rows = [[category] + [_fmt(values[i], kind == "percent") for _n, values in series]
                for i, category in enumerate(categories)]
        result.append(Chart(key, title, mark_safe(svg), [x_label] + [name for name, _v in series], rows))
    return result
