"""What the meeting pages show beyond meetings: the home page (the meeting list) carries a panel that a higher
app may provide (insight: the person's own figures and their department's). Meetings never imports it."""

from closeloop.lib.hooks import Hook

# home_panel(request) -> HTML (safe) or "" for none.
home_panel = Hook("home_panel", default=lambda request: "")
