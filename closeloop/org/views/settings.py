"""Settings pages: the organisation's policy (administrators) and one's own profile and API tokens."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from closeloop.audit.history import fields_changed_since
from closeloop.lib.forms import error_summary, retyped
from closeloop.lib.htmx import redirect_with_success, saved_through
from closeloop.org import services
from closeloop.org.forms import PolicyForm, ProfileForm, TokenForm, policy_field_names, policy_groups
from closeloop.org.models import ApiToken, Policy
from closeloop.org.selectors import policy_for
from closeloop.org.services import person_preferences_update


def _policy_initial(policy):
    initial = {name: getattr(policy, name) for name in policy_field_names()}
    initial["version"] = policy.version
    return initial


def _policy_conflict(policy, loaded, message):
    names = policy_field_names()
    changed = fields_changed_since(obj=policy, action="policy.update", version=loaded, fields=names)
    rows = [{"label": Policy._meta.get_field(n).verbose_name, "current": getattr(policy, n),
             "who": changed[n].actor, "at": changed[n].at} for n in names if n in changed]
    return {"message": message, "changes": rows}


@login_required
def policy_edit(request):
    """Administrators change every rule; everyone else reads them."""
    user = request.user
    if not user.organisation_id:
        raise PermissionDenied
    policy = policy_for(user.organisation)
    if not user.is_org_admin:
        if request.method == "POST":
            raise PermissionDenied(_("Only administrators can change the policy."))
        groups = [(title, [(Policy._meta.get_field(n).verbose_name, getattr(policy, n)) for n in values],
                   [(Policy._meta.get_field(n).verbose_name, getattr(policy, f"get_{n}_display")()) for n in modes])
                  for title, values, modes in policy_groups()]
        return render(request, "org/policy.html", {"policy": policy, "readonly_groups": groups})
    if request.method != "POST":
        return _policy_page(request, policy, PolicyForm(initial=_policy_initial(policy)))
    form = PolicyForm(request.POST)

    def stale(exc):
        loaded = form.cleaned_data.get("version")
        policy.refresh_from_db()
        return _policy_page(request, policy, retyped(request, PolicyForm, policy.version),
                            _policy_conflict(policy, loaded or 0, exc.message), 409)

    return saved_through(request, form, lambda data: services.policy_update(
        actor=user, organisation=user.organisation, data=form.policy_data(), version=data.get("version")),
        model=Policy, conflict=stale, ok=lambda _result: redirect_with_success(
            request, "org:policy", _("Policy saved. It applies to every check from now on.")),
        error=lambda form: _policy_page(request, policy, form))


def _policy_page(request, policy, form, conflict=None, status=200):
    return render(request, "org/policy.html", {
        "policy": policy, "form": form, "errors": error_summary(form), "conflict": conflict,
    }, status=status)


def _profile_context(request, **extra):
    user = request.user
    context = {
        "form": ProfileForm(initial={"language": user.language, "time_zone": user.time_zone}),
        "token_form": TokenForm(),
        "tokens": ApiToken.objects.filter(person=user).order_by("-created_at"),
        "org_time_zone": user.organisation.time_zone if user.organisation_id else "",
    }
    context.update(extra)
    return context


@login_required
def profile(request):
    """My language and time zone, my password, my API tokens."""
    if request.method != "POST":
        return render(request, "org/profile.html", _profile_context(request))
    form = ProfileForm(request.POST)

    def saved(_result):
        with translation.override(form.cleaned_data.get("language") or None):  # the page comes next in it
            return redirect_with_success(request, "org:profile", _("Your preferences are saved."))

    return saved_through(
        request, form, lambda data: person_preferences_update(actor=request.user, **data), ok=saved,
        error=lambda form: render(request, "org/profile.html", _profile_context(request, form=form)))


def _token_shown(request, token, secret):
    # The secret is shown on this response only; it is never stored or shown again.
    response = render(request, "org/profile.html", _profile_context(request, new_token=token, new_secret=secret))
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_create(request):
    return saved_through(
        request, TokenForm(request.POST),
        lambda data: services.token_create(person=request.user, name=data["name"], actor=request.user),
        ok=lambda created: _token_shown(request, *created),
        error=lambda form: render(request, "org/profile.html", _profile_context(request, token_form=form)))


@login_required
@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, person=request.user)
    services.token_revoke(token=token, actor=request.user)
    return redirect_with_success(request, "org:profile",
                                 _("Token “%(name)s” revoked; it no longer works.") % {"name": token.name})
