from django.http import HttpResponse


def meeting_list(request):  # placeholder until the planning pages land
    return HttpResponse("")
