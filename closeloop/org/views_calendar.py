from django.http import HttpResponse


def calendar_year(request):  # placeholder until the calendar pages land
    return HttpResponse("")
