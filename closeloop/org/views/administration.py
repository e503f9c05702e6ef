"""Administration pages for the PMO (administrators): a home that gathers what they look after, and the pages
for people and departments. Anyone else gets 404: the pages are not theirs to know about."""

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from closeloop.lib.forms import error_summary
from closeloop.lib.htmx import redirect_with_success, saved_through
from closeloop.org import services
from closeloop.org.forms import DepartmentForm, PersonCreateForm, PersonForm
from closeloop.org.models import Department, Person

PERSON_FORM_FIELDS = ["display_name", "email", "department", "title", "role", "language", "time_zone", "is_active"]


def _admin(request):
    user = request.user
    if not (user.is_authenticated and user.organisation_id and user.is_org_admin):
        raise Http404
    return user


def _form_page(request, template, form, status=200, **context):
    errors = error_summary(form) if form.is_bound else []
    return render(request, template, {"form": form, "errors": errors, **context}, status=status)


@login_required
def home(request):
    _admin(request)
    return render(request, "org/admin/home.html", {})


# --- People ---------------------------------------------------------------------------------------

@login_required
def people(request):
    user = _admin(request)
    org = user.organisation
    q = request.GET.get("q", "").strip()[:100]
    qs = Person.objects.filter(organisation=org).select_related("department").order_by("-is_active", "display_name",
                                                                                        "username")
    if q:
        qs = qs.filter(Q(display_name__icontains=q) | Q(username__icontains=q) | Q(email__icontains=q)
                       | Q(department__name__icontains=q) | Q(title__icontains=q))
    form = PersonCreateForm(request.POST or None, organisation=org, initial={"role": "member", "is_active": True})
    def page(form, status=200):
        return _form_page(request, "org/admin/people.html", form, status, people=qs, q=q)

    if request.method != "POST":
        return page(form)
    return saved_through(request, form, lambda data: services.person_create(
        actor=user, organisation=org, password=data.get("password") or None,
        data={k: data[k] for k in ["username", *PERSON_FORM_FIELDS]}), model=Person,
        ok=lambda person: redirect_with_success(request, reverse("org:people"),
                                                _("%(name)s added.") % {"name": person}),
        error=lambda form: page(form, 422))


@login_required
def person_edit(request, pk):
    user = _admin(request)
    person = get_object_or_404(Person, pk=pk, organisation_id=user.organisation_id)
    initial = {f: getattr(person, f) for f in PERSON_FORM_FIELDS}
    form = PersonForm(request.POST or None, organisation=user.organisation, initial=initial)
    def page(form, status=200):
        return _form_page(request, "org/admin/person.html", form, status, person=person)

    if request.method != "POST":
        return page(form)
    return saved_through(request, form, lambda data: services.person_update(
        actor=user, person=person, data={k: data[k] for k in PERSON_FORM_FIELDS}), model=Person,
        ok=lambda person: redirect_with_success(request, reverse("org:people"),
                                                _("%(name)s saved.") % {"name": person}),
        error=lambda form: page(form, 422))


# --- Departments ----------------------------------------------------------------------------------

@login_required
def departments(request):
    user = _admin(request)
    org = user.organisation
    rows = Department.objects.filter(organisation=org).select_related("parent", "head").order_by("name")
    form = DepartmentForm(request.POST or None, organisation=org)
    def page(form, status=200):
        return _form_page(request, "org/admin/departments.html", form, status, departments=rows)

    if request.method != "POST":
        return page(form)
    return saved_through(request, form, lambda data: services.department_create(
        actor=user, organisation=org, data=data), model=Department,
        ok=lambda d: redirect_with_success(request, reverse("org:departments"),
                                           _("%(name)s added.") % {"name": d}),
        error=lambda form: page(form, 422))


@login_required
def department_edit(request, pk):
    user = _admin(request)
    department = get_object_or_404(Department, pk=pk, organisation_id=user.organisation_id)
    initial = {"name": department.name, "parent": department.parent_id, "head": department.head_id}
    form = DepartmentForm(request.POST or None, organisation=user.organisation, initial=initial)
    def page(form, status=200):
        return _form_page(request, "org/admin/department.html", form, status, department=department)

    if request.method != "POST":
        return page(form)
    return saved_through(request, form, lambda data: services.department_update(
        actor=user, department=department, data=data), model=Department,
        ok=lambda d: redirect_with_success(request, reverse("org:departments"),
                                           _("%(name)s saved.") % {"name": d}),
        error=lambda form: page(form, 422))
