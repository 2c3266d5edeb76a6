from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "maca.reports"
    label = "reports"

    def ready(self):
        from django.db.models.signals import pre_delete

        from maca.kept import refuse_deletion

        from .models import ReportEdition
        from .models_briefing import BriefingEdition

        pre_delete.connect(refuse_deletion, sender=ReportEdition, dispatch_uid="edition_kept")
        pre_delete.connect(
            refuse_deletion, sender=BriefingEdition, dispatch_uid="briefing_edition_kept"
        )
