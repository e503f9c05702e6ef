"""`GET /healthz` for load balancers and monitoring: JSON, no login, no secrets; 503 when something is wrong.

`?scope=web` checks only what the web servers need (the database), so a stopped worker does not take
the web servers out of a load balancer's rotation.
"""

from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from closeloop.notify.health import health_report


@never_cache
@require_GET
def healthz(request):
    healthy, report = health_report(now=timezone.now(), scope=request.GET.get("scope", "all"))
    return JsonResponse(report, status=200 if healthy else 503)
