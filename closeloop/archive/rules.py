"""Pure helpers for the archive and search: the 年份-部门-项目 tree from plain rows, and highlighted snippets.

No database here: selectors hand in plain tuples, templates and the API get plain data back.
"""

import re
from dataclasses import dataclass, field

NONE = "none"  # the key of the "no department" / "no project" branches


@dataclass
class Node:
    """One branch of the tree: a year, a department or a project, with how many meetings it holds."""

    key: str
    name: str
    count: int = 0
    children: list = field(default_factory=list)


def _key(value):
    return NONE if value is None else str(value)


def build_tree(meetings, departments):
    """Years (newest first) → departments (by name, "none" last) → projects (by name, "none" last).

    `meetings`: (meeting_id, year, project_id, project_name) rows; `departments`: {meeting_id: [(id, name), …]}
    (the participating departments; a meeting without any goes under "none"). A meeting counts once per year,
    once under each of its departments, and once under its project within each of those departments.
    """
    years = {}
    for meeting_id, year, project_id, project_name in meetings:
        year_node = years.setdefault(year, Node(str(year), str(year)))
        year_node.count += 1
        seen = dict(departments.get(meeting_id) or [(None, "")])  # one entry per department
        for dept_id, dept_name in seen.items():
            dept = child_node(year_node, _key(dept_id), dept_name)
            dept.count += 1
            child_node(dept, _key(project_id), project_name or "").count += 1
    for year_node in years.values():
        year_node.children = sorted_nodes(year_node.children)
        for dept in year_node.children:
            dept.children = sorted_nodes(dept.children)
    return sorted(years.values(), key=lambda n: n.key, reverse=True)


def trail(tree, year=None, department=None, project=None):
    """The nodes from the year down to the chosen branch (shorter when a level is not chosen or not found)."""
    path, level = [], tree
    for key in (year, department, project):
        node = next((n for n in level if key is not None and n.key == str(key)), None)
        if node is None:
            break
        path.append(node)
        level = node.children
    return path


def branch_count(tree, trail, filters):
    """The number of meetings of the chosen branch as the tree counted them, or None when the tree does not say
    (a level chosen below one that is not, or a branch the tree does not have)."""
    chosen = [v not in (None, "") for v in (filters.year, filters.department, filters.project)]
    if not any(chosen):
        return sum(year.count for year in tree)
    depth = chosen.index(False) if False in chosen else 3
    if any(chosen[depth:]) or len(trail) != depth:
        return None
    return trail[-1].count


class Counted:
    """A queryset whose count is already known (a Paginator then sends no COUNT); None: counted as usual."""

    def __init__(self, queryset, count):
        self.queryset, self.known = queryset, count

    def count(self):
        return self.queryset.count() if self.known is None else self.known

    def __len__(self):
        return self.count()

    def __getitem__(self, key):
        return self.queryset[key]


def child_node(node, key, name):
    for child in node.children:
        if child.key == key:
            return child
    child = Node(key, name)
    node.children.append(child)
    return child


def sorted_nodes(nodes):
    return sorted(nodes, key=lambda n: (n.key == NONE, n.name, n.key))


# --- highlighting -------------------------------------------------------------------------------------------

def spans(text, query):
    """[(start, end), …] of the non-overlapping, case-insensitive occurrences of `query` in `text`."""
    if not query or not text:
        return []
    return [m.span() for m in re.finditer(re.escape(query), text, flags=re.IGNORECASE)]


def snippet(text, query, *, width=60):
    """(excerpt, spans): the text around the first match on one line, '…' where it was cut.

    Short texts come whole. Line breaks become spaces (same length, so the spans stay right).
    """
    text = re.sub(r"[\r\n\t]", " ", text or "")
    found = spans(text, query)
    if not found or len(text) <= 2 * width + len(query):
        return text, found
    first_start, first_end = found[0]
    start, end = max(0, first_start - width), min(len(text), first_end + width)
    prefix, suffix = ("…" if start > 0 else ""), ("…" if end < len(text) else "")
    excerpt = prefix + text[start:end] + suffix
    shift = len(prefix) - start
    return excerpt, [(s + shift, e + shift) for s, e in found if s >= start and e <= end]


def segments(text, found):
    """The text cut into [(piece, is_match), …] for a template to wrap the matches (it escapes every piece)."""
    out, pos = [], 0
    for start, end in found:
        if start > pos:
            out.append((text[pos:start], False))
        out.append((text[start:end], True))
        pos = end
    if pos < len(text):
        out.append((text[pos:], False))
    return out
