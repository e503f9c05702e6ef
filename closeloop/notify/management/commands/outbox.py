"""`closeloop outbox list [--failed|--pending|--all]` shows what waits and what failed (and why);
`closeloop outbox retry ID` or `--all-failed` queues messages again. For the server's operator: every
organisation's messages."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from closeloop.notify.models import Channel, OutboxMessage
from closeloop.notify.selectors import outbox_filtered, outbox_summary
from closeloop.notify.services import outbox_retry, outbox_retry_failed


def _age(delta):
    seconds = int(delta.total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds // size} {unit}"
    return f"{seconds} s"


class Command(BaseCommand):
    help = "List the outbox's failed and pending messages, or queue failed ones again."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="Failed and pending messages, newest first, with their last error.")
        state = listing.add_mutually_exclusive_group()
        for name in ("failed", "pending", "sent", "all"):
            state.add_argument(f"--{name}", dest="state", action="store_const", const=name,
                               help=f"Only {name} messages." if name != "all" else "Every message.")
        listing.add_argument("--channel", choices=Channel.values)
        listing.add_argument("--recipient", default="", help="Part of a name, username or address.")
        listing.add_argument("--limit", type=int, default=50)
        retry = sub.add_parser("retry", help="Queue one message (by id) or every failed one again now.")
        which = retry.add_mutually_exclusive_group(required=True)
        which.add_argument("id", type=int, nargs="?")
        which.add_argument("--all-failed", action="store_true")
        retry.add_argument("--channel", choices=Channel.values, help="With --all-failed: only this channel.")

    def handle(self, *args, action, **options):
        return getattr(self, f"_{action}")(**options)

    def _list(self, state=None, channel=None, recipient="", limit=50, **options):
        now = timezone.now()
        everything = OutboxMessage.objects.select_related("recipient")
        summary = outbox_summary(everything, now=now)
        oldest = _age(summary["oldest_pending_age"]) if summary["oldest_pending_age"] else "-"
        self.stdout.write(f"{summary['failed']} failed, {summary['pending']} pending ({summary['due']} due), "
                          f"oldest pending {oldest}")
        messages = outbox_filtered(everything, state=state or "", channel=channel or "", recipient=recipient)
        for m in messages[:max(limit, 0)]:
            error = first_line_of(m.last_error)
            self.stdout.write(f"{m.pk}\t{m.state}\t{m.channel}\t{m.address}\tattempts {m.attempts}\t"
                              f"queued {_age(now - m.created_at)} ago\t{m.subject[:60]}\t{error}")

    def _retry(self, id=None, all_failed=False, channel=None, **options):
        if all_failed:
            failed = outbox_filtered(OutboxMessage.objects.all(), state="failed", channel=channel or "")
            count = outbox_retry_failed(actor=None, messages=failed)
            self.stdout.write(f"{count} failed message(s) queued again.")
            return
        message = OutboxMessage.objects.filter(pk=id).first()
        if message is None:
            raise CommandError(f"No outbox message with the id {id}.")
        try:
            outbox_retry(actor=None, message=message)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(f"Message {id} queued again.")


def first_line_of(text):
    lines = [line for line in (text or "").splitlines() if line.strip()]
    return lines[0][:200] if lines else ""
