"""At most once per form: the back office's forms carry a key drawn when the page renders
them, recorded in the transaction of what the form does. A second post of the same form (a
double click, a reload of the answer) finds its key taken and changes nothing.

There is no look-up before the insertion: the unique constraint alone decides, so that two
concurrent posts queue on it and the second is refused once the first commits (or runs, if
the first was refused and rolled back)."""

from django.db import IntegrityError, transaction

from ..models import UsedFormKey


class AlreadyRecorded(Exception):
    """This form was already posted, and what it did is recorded."""


def run_once(intake_request, *, key, scope, run):
    """``run()`` (which calls one command) unless the form ``key`` already did, in one
    transaction with the key's record; a missing key (a page rendered before keys) runs."""
    if key is None:
        return run()
    with transaction.atomic():
        try:
            with transaction.atomic():
                UsedFormKey.objects.create(request_id=intake_request.pk, key=key, scope=scope)
        except IntegrityError:
            raise AlreadyRecorded from None
        return run()
