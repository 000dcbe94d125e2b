"""Whatever is posted to the form, the answer is never a 5xx and nothing is half-saved."""

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from intake.models import IntakeRequest, OutgoingEmail
from intake.views.forms import RequestForm
from tests.intake.conftest import submission_token

# Every field a person fills (the signed form key and the honeypot have their own tests).
FIELDS = [name for name in RequestForm.base_fields if name not in ("submission", "website")]
text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)
value = st.one_of(
    text, st.lists(text, max_size=3), st.sampled_from(["", "on", "0", "-1", "9" * 30])
)


@pytest.mark.django_db
@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(overrides=st.dictionaries(st.sampled_from(FIELDS), value, max_size=len(FIELDS)))
def test_fuzzed_posts_never_fail_or_half_save(client, form_page, valid_data, settings, overrides):
    settings.RATELIMIT_FORM_POSTS = 10**6
    data = {**valid_data, "submission": submission_token(), **overrides}
    response = client.post(form_page.url, data)
    assert response.status_code in (302, 400)
    for request in IntakeRequest.objects.all():
        assert request.reference and request.access_tokens.count() == 1
        if request.first_exchange == "slot":
            assert request.appointments.count() == 1
        assert OutgoingEmail.objects.filter(request=request).count() == 2
