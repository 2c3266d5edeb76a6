"""The domain error every service raises when a rule refuses a change."""


class DomainError(ValueError):
    """A rule refused the change. `field` names the input it is about, when there is one.

    Views turn it into a form error on that field (`maca.forms.add_domain_error`); the API into
    a 4xx naming the field; commands into a message.
    """

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class Kept(DomainError):
    """What is kept whatever anyone asks: a published edition of a report, for ever (never
    changed, never deleted); an audit on legal hold, while the hold lasts (never deleted or
    replaced). Refused by the models whatever the path (a service, a command, a cascade, the
    admin) and, on PostgreSQL, by triggers (decision 41)."""
