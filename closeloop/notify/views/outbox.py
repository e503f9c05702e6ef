"""The outbox page for the organisation's administrators (role administrator / PMO): what failed, what is
waiting and since when, the last error and attempts of each message; try one or every failed one again.

Anyone else gets 404, as for any page they may not see.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from closeloop.notify.forms import OutboxFilterForm
from closeloop.notify.selectors import outbox_filtered, outbox_for, outbox_message_for, outbox_summary
from closeloop.notify.services import outbox_retry, outbox_retry_failed

PER_PAGE = 50


@login_required
@require_GET
def outbox(request):
    messages_qs = outbox_for(request.user)
    form = OutboxFilterForm(request.GET or None)
    filters = form.filters() if request.GET else {"state": "", "channel": "", "recipient": ""}
    page = Paginator(outbox_filtered(messages_qs, **filters), PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "notify/outbox.html", {
        "form": form if request.GET else OutboxFilterForm(), "page": page, "filters": filters,
        "summary": outbox_summary(messages_qs, now=timezone.now()), "query": query.urlencode(),
        "here": request.get_full_path(),
    })


def _back(request):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(reverse("notify:outbox"))


@login_required
@require_POST
def outbox_retry_one(request, pk):
    message = outbox_message_for(request.user, pk)
    try:
        outbox_retry(actor=request.user, message=message)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, ngettext("%(n)d message queued again.", "%(n)d messages queued again.", 1)
                         % {"n": 1})
    return _back(request)


@login_required
@require_POST
def outbox_retry_all(request):
    """Every failed message matching the page's channel and recipient filters, queued again."""
    filters = OutboxFilterForm(request.POST).filters()
    failed = outbox_filtered(outbox_for(request.user), state="failed", channel=filters["channel"],
                             recipient=filters["recipient"])
    count = outbox_retry_failed(actor=request.user, messages=failed)
    messages.success(request, ngettext("%(n)d message queued again.", "%(n)d messages queued again.", count)
                     % {"n": count})
    return _back(request)
