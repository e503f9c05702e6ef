"""Run the test provider: migrate, create its person and client, serve until terminated."""

import os
import sys
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def main(folder, port, redirect_uri):
    os.environ["OIDC_TEST_FOLDER"] = folder
    os.environ["DJANGO_SETTINGS_MODULE"] = "closeloop.directory.testing_oidc.settings"
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.management import call_command
    from oauth2_provider.models import Application

    from . import CLIENT_ID, CLIENT_SECRET, PASSWORD, SUBJECT_NAME, USERNAME

    call_command("migrate", verbosity=0, interactive=False)
    user = User.objects.create_user(USERNAME, f"{USERNAME}@idp.test", PASSWORD, first_name=SUBJECT_NAME)
    Application.objects.create(
        name="Closeloop", client_id=CLIENT_ID, client_secret=CLIENT_SECRET, user=user,
        client_type=Application.CLIENT_CONFIDENTIAL, authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=redirect_uri, algorithm=Application.RS256_ALGORITHM, skip_authorization=False,
    )
    server = make_server("127.0.0.1", int(port), WSGIHandler(), server_class=_Server, handler_class=_QuietHandler)
    print("ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main(*sys.argv[1:4])
