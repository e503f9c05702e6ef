"""A real OpenID Connect provider for the tests: a second Django process running django-oauth-toolkit.

`python -m closeloop.directory.testing_oidc FOLDER PORT REDIRECT_URI` migrates its own SQLite database in FOLDER,
creates one person and one confidential client, and serves on 127.0.0.1:PORT until terminated. Writing
"wrong-signature" or "wrong-audience" into FOLDER/mode makes it issue a bad ID token from then on.
"""

CLIENT_ID = "closeloop-test-client"
CLIENT_SECRET = "closeloop-test-secret-0123456789"
USERNAME = "zhou.oidc"
PASSWORD = "provider-pw-1"
SUBJECT_NAME = "周欧"
