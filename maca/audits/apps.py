from django.apps import AppConfig


class AuditsConfig(AppConfig):
    name = "maca.audits"
    label = "audits"

    def ready(self):
        from django.db.models.signals import pre_delete

        from .models import Audit, audit_kept_on_hold

        pre_delete.connect(audit_kept_on_hold, sender=Audit, dispatch_uid="audit_kept_on_hold")
