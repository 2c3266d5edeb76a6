from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "maca.reports"
    label = "reports"

    def ready(self):
        from django.db.models.signals import pre_delete

        from .models import ReportEdition, edition_kept

        pre_delete.connect(edition_kept, sender=ReportEdition, dispatch_uid="edition_kept")

        from .models_briefing import BriefingEdition, briefing_edition_kept

        pre_delete.connect(
            briefing_edition_kept, sender=BriefingEdition, dispatch_uid="briefing_edition_kept"
        )
