"""The request lifecycle: the only code that changes a request, its appointments, messages,
notes and labels. ``moves`` declares each move once with its command, ``commands`` holds the
other commands and reaches them all, ``base`` what they share, ``appointments`` the seat
writes, ``sessions`` the sessions' records, ``accompaniments`` the rhythm, its due window (as
``cadence`` computes it) and the satisfaction, ``submission`` the public form's transaction,
and ``history`` reads the story the audit log keeps."""
