from django.apps import AppConfig


class YearlyConfig(AppConfig):
    name = "maca.yearly"
    label = "yearly"

    def ready(self):
        from django.db.models.signals import pre_delete

        from maca.kept import refuse_deletion

        from .models import YearlyEdition

        pre_delete.connect(
            refuse_deletion, sender=YearlyEdition, dispatch_uid="yearly_edition_kept"
        )
