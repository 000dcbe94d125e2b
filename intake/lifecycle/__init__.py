"""The request lifecycle: the only code that changes a request, its appointments, messages,
notes and labels (``commands``), the status graph it follows (``moves``) and the story it
leaves in the audit log (``history``)."""
