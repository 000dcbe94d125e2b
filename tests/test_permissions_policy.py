"""Every answer refuses the browser features the portal never uses: public pages, the admin,
errors and the static files WhiteNoise serves in production."""

import pytest

POLICY = (
    "accelerometer=(), autoplay=(), browsing-topics=(), camera=(), display-capture=(), "
    "encrypted-media=(), geolocation=(), gyroscope=(), hid=(), idle-detection=(), "
    "interest-cohort=(), local-fonts=(), magnetometer=(), microphone=(), midi=(), payment=(), "
    "screen-wake-lock=(), serial=(), usb=(), window-management=(), xr-spatial-tracking=()"
)


@pytest.mark.parametrize(
    "path, status",
    [
        ("/", 200),
        ("/demande/", 200),
        ("/admin/login/", 200),
        ("/admin/", 302),
        ("/nulle-part/", 404),
    ],
)
def test_every_answer_carries_the_policy(client, home, path, status):
    response = client.get(path)
    assert response.status_code == status
    assert response["Permissions-Policy"] == POLICY


def test_the_signed_in_admin_carries_the_policy(client, home, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("admin", password="x" * 12))
    response = client.get("/admin/")
    assert response.status_code == 200
    assert response["Permissions-Policy"] == POLICY


def test_static_files_served_by_whitenoise_carry_the_policy(client, settings, tmp_path):
    # The production order (tests/test_settings.py checks it): WhiteNoise answers inside the
    # policy's middleware.
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE[:3],
        "whitenoise.middleware.WhiteNoiseMiddleware",
        *settings.MIDDLEWARE[3:],
    ]
    settings.WHITENOISE_USE_FINDERS = True
    settings.STATIC_ROOT = tmp_path  # nothing collected: the finders' files only
    response = client.get("/static/css/portal.css")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    assert response["Permissions-Policy"] == POLICY
