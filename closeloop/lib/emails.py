"""Email as subject / text / html templates, rendered by one helper in the reader's language and time zone."""

import re
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import conditional_escape


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str
    language: str


def render_email(prefix, context, *, language, zone=None):
    """Render `<prefix>_subject.txt`, `<prefix>.txt` and `<prefix>.html` in `language` (and `zone`).

    The subject is squeezed onto one line: mail headers cannot hold newlines.
    """
    with translation.override(language), timezone.override(zone):
        ctx = {**context, "LANGUAGE_CODE": translation.get_language()}
        subject = _squeeze(render_to_string(f"{prefix}_subject.txt", ctx))
        text = render_to_string(f"{prefix}.txt", ctx)
        html = render_to_string(f"{prefix}.html", ctx)
    return RenderedEmail(subject=subject, text=text, html=html, language=language)


_MARK = re.compile("\ue000(\\d+)\ue001")


def _squeeze(subject):
    return " ".join(subject.split())


def render_emails(prefix, readers, *, language, zone=None):
    """`render_email` for many readers at once: one RenderedEmail per reader, in order.

    Each reader is `(context, fields)`. `context` holds what steers the templates (flags, counts, anything an
    `{% if %}` or a plural reads; hashable values) and `fields` what only fills in text: a name, a title, a
    date already formatted, a link, or `(text, html)` when the HTML part shows it differently. The templates
    are rendered once per distinct context, with a marker in each field's place, and each reader's values
    then replace the markers (HTML-escaped in the HTML part): 400 reminders cost a handful of renders.
    """
    shapes, out = {}, []
    with translation.override(language):  # lazy values (a status label) in the reader's language
        for context, fields in readers:
            names = tuple(sorted(fields))
            shape = (tuple(sorted(context.items())), names)
            if shape not in shapes:
                marks = {name: f"\ue000{i}\ue001" for i, name in enumerate(names)}
                shapes[shape] = render_email(prefix, {**context, **marks}, language=language, zone=zone)
            template = shapes[shape]
            values = [fields[name] for name in names]
            text = [str(v[0] if isinstance(v, tuple) else v) for v in values]
            html = [conditional_escape(v[1] if isinstance(v, tuple) else v) for v in values]
            out.append(RenderedEmail(subject=_squeeze(_fill(template.subject, text)),
                                     text=_fill(template.text, text), html=_fill(template.html, html),
                                     language=language))
    return out


def _fill(part, values):
    return _MARK.sub(lambda found: values[int(found.group(1))], part)
