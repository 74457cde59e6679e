from __future__ import annotations

from celery import shared_task

from yufang.imports.services import import_job_check, import_job_run


@shared_task(bind=True, max_retries=0)
def import_job_run_task(self: object, job_id: int) -> None:
    import_job_run(job_id)


@shared_task(bind=True, max_retries=0)
def import_job_check_task(self: object, job_id: int) -> None:
    import_job_check(job_id)
