import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hubops.settings")
application = get_asgi_application()

from hubops.cache import recover_after_outage  # noqa: E402 - once Django is set up

recover_after_outage()
