"""Thin task wrappers: ids in, call the services. Routed to the pdf queue
(``settings.PORTAL_PDF_TASKS``). The dossier is keyed by content, so ``acks_late`` is safe:
a worker killed mid-render has the task delivered again and it finds or makes one file."""

from celery import shared_task

from awards.decisions.tasks import RENDERING


@shared_task(name="dossiers.render_dossier", **RENDERING)
def render_dossier(nomination_id: int) -> int:
    """Merge the nomination's dossier (once per content); returns the document's id."""
    from awards.dossiers.services import dossier

    return dossier.ensure_dossier(nomination_id).pk


@shared_task(name="dossiers.session_zip")
def session_zip(job_id: int) -> str:
    """Every dossier of a council session in one ZIP (a Job with progress)."""
    from awards.dossiers.services import bulk
    from emulation_portal.jobs import run_job

    return run_job(job_id, bulk.session_zip_work)


@shared_task(name="dossiers.certificates_zip")
def certificates_zip(job_id: int) -> str:
    """Every certificate of a signed decision in one ZIP (a Job with progress)."""
    from awards.dossiers.services import bulk
    from emulation_portal.jobs import run_job

    return run_job(job_id, bulk.certificates_zip_work)
