"""The team's screens in the Wagtail admin: the request queue and page, the permanence, the
labels and reply templates, the dashboard panels. They read through selectors and querysets
and write through ``intake.lifecycle.commands`` only."""
