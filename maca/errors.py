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
