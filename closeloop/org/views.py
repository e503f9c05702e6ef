from django.http import HttpResponse


def policy_edit(request):  # placeholders until the settings pages land
    return HttpResponse("")


audit_list = profile = policy_edit
