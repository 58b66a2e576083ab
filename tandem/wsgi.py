import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")
application = get_wsgi_application()
# What start-up loaded lives as long as the process: keep it out of the full garbage
# collections a request can set off (https://docs.python.org/3/library/gc.html#gc.freeze).
gc.freeze()
