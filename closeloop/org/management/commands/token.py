"""`closeloop token create USERNAME NAME` prints a new API token's secret once; list and revoke too."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from closeloop.org.models import ApiToken, Person
from closeloop.org.services import token_create, token_revoke


class Command(BaseCommand):
    help = "Create, list or revoke personal API tokens."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a token and print its secret (shown only this once).")
        create.add_argument("username")
        create.add_argument("name", help="What the token is for, e.g. 'nightly export'.")
        listing = sub.add_parser("list", help="List a person's tokens (never their secrets).")
        listing.add_argument("username")
        revoke = sub.add_parser("revoke", help="Revoke a token by its id.")
        revoke.add_argument("id", type=int)

    def handle(self, *args, action, **options):
        return getattr(self, f"_{action}")(**options)

    def _person(self, username):
        try:
            return Person.objects.get(username=username)
        except Person.DoesNotExist:
            raise CommandError(f"No person with the user name {username!r}.") from None

    def _create(self, username, name, **options):
        person = self._person(username)
        try:
            token, secret = token_create(person=person, name=name)
        except ValidationError as exc:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from None
        self.stderr.write(f"Token {token.pk} ({token.name}) for {person.username}; the secret is shown only once:")
        self.stdout.write(secret)

    def _list(self, username, **options):
        person = self._person(username)
        for token in person.api_tokens.order_by("id"):
            state = f"revoked {token.revoked_at:%Y-%m-%d %H:%M}" if token.revoked_at else "active"
            used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
            self.stdout.write(f"{token.pk}\t{token.prefix}…\t{token.name}\t{state}\tlast used {used}")

    def _revoke(self, id, **options):
        try:
            token = ApiToken.objects.get(pk=id)
        except ApiToken.DoesNotExist:
            raise CommandError(f"No token with id {id}.") from None
        token_revoke(token=token)
        self.stdout.write(f"Token {token.pk} ({token.name}) revoked.")
