import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hubops.settings")
application = get_wsgi_application()

from hubops.cache import recover_after_outage  # noqa: E402 - once Django is set up

recover_after_outage()
