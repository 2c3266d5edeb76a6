from django.tasks import task

from maca import access_rls

from .rendering import rendition_render


@task
def render_task(rendition_id: int, partnership_id: int) -> str | None:
    """Render one queued document (see `maca.reports.rendering`), in the rows of its
    audit's partnership. Returns its state."""
    with access_rls.working_in(partnership_id):
        rendition = rendition_render(rendition_id)
    return rendition.status if rendition else None
