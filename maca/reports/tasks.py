from django.tasks import task

from .rendering import rendition_render


@task
def render_task(rendition_id: int) -> str | None:
    """Render one queued document (see `maca.reports.rendering`). Returns its state."""
    rendition = rendition_render(rendition_id)
    return rendition.status if rendition else None
