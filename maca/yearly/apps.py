from django.apps import AppConfig


class YearlyConfig(AppConfig):
    name = "maca.yearly"
    label = "yearly"

    def ready(self):
        from django.db.models.signals import pre_delete

        from .models import YearlyEdition, yearly_edition_kept

        pre_delete.connect(
            yearly_edition_kept, sender=YearlyEdition, dispatch_uid="yearly_edition_kept"
        )
