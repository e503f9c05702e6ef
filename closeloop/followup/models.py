"""The follow-up app keeps no tables of its own: its scans read action items and minutes."""
