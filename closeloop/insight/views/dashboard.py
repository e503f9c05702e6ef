"""The insight page: period and filters, figures with links to the lists behind them, charts, exports."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from closeloop.actions.selectors.items import local_today
from closeloop.insight import dashboard, exports, selectors
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
        "query": request.GET.urlencode(),
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
