from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Site public"

    def ready(self):
        from .cache import connect_signals

        connect_signals()
