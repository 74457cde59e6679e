from __future__ import annotations

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yufang.settings")
application = get_wsgi_application()
# What is loaded now (code, settings, URL patterns, translations) lives as long as the
# process: frozen, a full collection during a request walks only what requests made. Unfrozen,
# such a collection walked the whole loaded heap in the middle of a request (spikes of about
# 100 ms on a city's rates by grid at province scale). Under a pre-loading server (gunicorn
# --preload) it also keeps the forked workers' copies of these pages shared.
gc.freeze()
