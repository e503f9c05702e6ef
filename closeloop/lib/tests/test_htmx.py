"""saved_through: the one answer of a form that writes through a service."""

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.test import RequestFactory
from django_htmx.middleware import HtmxDetails

from closeloop.lib.errors import Conflict
from closeloop.lib.htmx import saved_through


class NameForm(forms.Form):
    name = forms.CharField(max_length=10)


def _request(htmx=False):
    request = RequestFactory().post("/", HTTP_HX_REQUEST="true") if htmx else RequestFactory().post("/")
    request.htmx = HtmxDetails(request)
    return request


def _answer(request, data, call, **kwargs):
    form = NameForm(data)
    kwargs.setdefault("ok", lambda result: HttpResponse(f"saved {result}"))
    response = saved_through(request, form, call, error=lambda form: HttpResponse("refused", status=422), **kwargs)
    return form, response


def test_a_valid_form_is_written_and_ok_answers_with_the_result():
    form, response = _answer(_request(), {"name": "Li"}, lambda data: data["name"].upper())
    assert response.content == b"saved LI" and not form.errors


def test_an_invalid_form_never_reaches_the_service():
    calls = []
    form, response = _answer(_request(), {"name": "x" * 11}, calls.append)
    assert response.status_code == 422 and calls == [] and "name" in form.errors


def test_the_services_field_error_lands_on_that_field():
    def refuse(data):
        raise ValidationError({"name": "Taken."})

    form, response = _answer(_request(), {"name": "Li"}, refuse)
    assert response.status_code == 422 and form.errors["name"] == ["Taken."]


def test_a_stale_save_says_so_on_the_form_unless_the_view_answers_it():
    def stale(data):
        raise Conflict("Changed meanwhile.", current_version=3)

    form, response = _answer(_request(), {"name": "Li"}, stale)
    assert response.status_code == 422 and form.non_field_errors() == ["Changed meanwhile."]
    _form, response = _answer(_request(), {"name": "Li"}, stale,
                              conflict=lambda exc: HttpResponse(str(exc.current_version), status=409))
    assert response.status_code == 409 and response.content == b"3"


def test_redirect_to_sends_a_plain_browser_on_and_gives_htmx_the_fragment():
    _form, plain = _answer(_request(), {"name": "Li"}, lambda data: 1, redirect_to="/done/")
    _form, htmx = _answer(_request(htmx=True), {"name": "Li"}, lambda data: 1, redirect_to="/done/")
    assert plain.status_code == 302 and plain["Location"] == "/done/"
    assert htmx.content == b"saved 1"
