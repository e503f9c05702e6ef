"""Signing in with a local password: Django's ModelBackend, loading each person's organisation with them
(every page reads its time zone and policy, so one query instead of three), and whether they head a department
(`heads_departments`: the visibility rules leave out the heads' parts for everyone else)."""

from django.contrib.auth.backends import ModelBackend
from django.db.models import Exists, OuterRef

from closeloop.org.models import Department, Person


class PersonBackend(ModelBackend):
    def get_user(self, user_id):
        person = (Person._default_manager.select_related("organisation__policy")
                  .annotate(heads_departments=Exists(Department.objects.filter(head=OuterRef("pk"))))
                  .filter(pk=user_id).first())
        return person if person is not None and self.user_can_authenticate(person) else None
