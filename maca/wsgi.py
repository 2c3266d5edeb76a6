import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maca.settings")
application = get_wsgi_application()

# Every view module imported now, while the worker starts, rather than during the first request
# someone makes after a restart (about 1.5 s on 2 cores).
from django.urls import get_resolver  # noqa: E402

get_resolver().url_patterns  # noqa: B018  (imports them)
