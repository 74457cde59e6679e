"""Celery: background and periodic work. Without a broker, tasks run eagerly (see settings)."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yufang.settings")

app = Celery("yufang")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Periodic schedules are declared beside their tasks, in each app's tasks.py, through
# `app.conf.beat_schedule` entries added on import.
