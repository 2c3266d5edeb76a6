"""What is published is kept as it was published: rows added, never changed, never deleted.

A published edition (of an audit's report, a learning briefing, a yearly report) reads the
same for ever, whatever happens to the data afterwards (decision 41). `KeptModel` refuses to
save an edition again or delete it, `KeptQuerySet` refuses bulk updates and deletions, and
`refuse_deletion` is connected to `pre_delete` so a cascade is refused too. On PostgreSQL a
trigger of each table refuses the same below the ORM.
"""

from django.db import models

from maca.errors import Kept


class KeptQuerySet(models.QuerySet):
    """Editions are added, never changed or removed, in bulk either."""

    def update(self, **kwargs):
        raise Kept(f"{self.model.KEPT_AS} is never changed")

    def bulk_update(self, *args, **kwargs):
        raise Kept(f"{self.model.KEPT_AS} is never changed")

    def delete(self):
        raise Kept(f"{self.model.KEPT_AS} is never deleted")


class KeptModel(models.Model):
    """An edition: saved once, then refused. `KEPT_AS` names the kind ("A published edition of
    a report"); `refused` says which edition, for the message people see."""

    KEPT_AS = "A published edition"

    objects = KeptQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise self.refused()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise self.refused()

    def refused(self) -> Kept:
        return Kept(
            f"{self} is published: a published edition is kept as it was published, never "
            "changed or deleted"
        )


def refuse_deletion(sender, instance: KeptModel, **kwargs) -> None:
    """`pre_delete`: before any deletion of an edition, a cascade's included: refused."""
    raise instance.refused()
