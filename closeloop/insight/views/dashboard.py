"""The insight page: period and filters, figures with links to the lists behind them, charts, exports."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from closeloop.actions.selectors.items import local_today
from closeloop.insight import dashboard, exports, measures, notifications, selectors
from closeloop.insight.charts import build_charts
from closeloop.insight.forms import InsightForm


def board_for(request):
    """The form and the Dashboard of this request; a department the person may not see answers 404."""
    person = request.user
    selectors.visible_department_ids(person)  # 404 outside any organisation
    if request.GET.get("department"):
        selectors.department_for_insight(person, request.GET["department"])
    departments = selectors.departments_for(person)
    form = InsightForm(request.GET or None, departments=departments, projects=selectors.projects_for(person))
    period, filters = form.period_and_filters(local_today(person.organisation))
    return form, dashboard.build(person, period, filters, departments=departments)


@login_required
@require_GET
def index(request):
    form, board = board_for(request)
    return render(request, "insight/dashboard.html", {
        "form": form, "board": board, "tables": board.tables, "charts": build_charts(board),
        "query": request.GET.urlencode(), "measures": measures.MEASURES.values(),
    })


@login_required
@require_GET
def export(request):
    """Every table of the page as one .xlsx workbook, a sheet each, numbers and dates typed."""
    _form, board = board_for(request)
    response = HttpResponse(exports.tables_xlsx(board), content_type=exports.XLSX_CONTENT_TYPE)
    stem = "洞察" if (translation.get_language() or settings.LANGUAGE_CODE).startswith("zh") else "insight"
    response["Content-Disposition"] = content_disposition_header(
        True, f"{stem}-{board.period.start.isoformat()}-{board.period.end.isoformat()}.xlsx")
    return response


@login_required
@require_GET
def report(request):
    """The management report of the chosen period, on demand, as .docx with the charts as pictures."""
    _form, board = board_for(request)
    response = HttpResponse(exports.report_docx(board, request.user.organisation),
                            content_type=exports.DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, exports.report_filename(board))
    return response


@login_required
@require_POST
def send_report(request):
    """Administrators: send the management report of the chosen period to the management group now."""
    if not request.user.is_org_admin or request.user.organisation_id is None:
        raise Http404
    form = InsightForm(request.POST, departments=(), projects=())
    period, _filters = form.period_and_filters(local_today(request.user.organisation))
    queued = notifications.report_send(organisation=request.user.organisation, period=period, on_demand=True)
    messages.success(request, _("The report of %(start)s to %(end)s is on its way to %(n)s people.") % {
        "start": period.start.isoformat(), "end": period.end.isoformat(), "n": len(queued)})
    return redirect(reverse("insight:index") + "?" + urlencode(
        {k: v for k, v in request.POST.items() if k in form.fields and v}))
