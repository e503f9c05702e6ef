"""Email as subject / text / html templates, rendered by one helper in the reader's language and time zone."""

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone, translation


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
        subject = " ".join(render_to_string(f"{prefix}_subject.txt", ctx).split())
        text = render_to_string(f"{prefix}.txt", ctx)
        html = render_to_string(f"{prefix}.html", ctx)
    return RenderedEmail(subject=subject, text=text, html=html, language=language)
