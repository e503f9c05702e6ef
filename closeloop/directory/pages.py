"""What the login page shows beyond the form; a higher app may add a hint (the demo says how to sign in)."""

from closeloop.lib.hooks import Hook

# login_hint() -> None, or {"organisation", "password", "people": [(username, name, title)]}: sign-in help that
# only an installation loaded with sample data may give.
login_hint = Hook("login_hint", default=lambda: None)
