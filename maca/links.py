"""Links: those maca writes into e-mails, and those people give it to keep and show.

- Every address an e-mail carries is built from `MACA_BASE_URL` (`site_url`), never from the
  request's Host header. The Host is whatever the sender of the request put there, and more
  than one name may be allowed (ALLOWED_HOSTS): a password reset asked for through another
  name would otherwise mail a link to that name, and with it the reset key.
- A link kept for display (an audit's rationale link, from a form, a bundle or a spreadsheet)
  must be a web address, http or https (`web_address`). It is shown as a link on the audit's
  page and in the report (web page, PDF and Word file), where a `javascript:` address would run
  script when clicked, and a `file:` or `smb:` one would open a file share. Rows stored before
  this rule are shown defensively: only a web address ever becomes a link (`is_web_address`).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

WEB_SCHEMES = ("http", "https")
MAX_LINK = 500  # Audit.rationale_link's column
NOT_A_WEB_ADDRESS = (
    "Enter the link as a web address, starting with https:// or http://, like https://example.org"
)
TOO_LONG = f"Keep the link to {MAX_LINK} characters or fewer"

# Django's URL check (a host with a domain, no spaces), limited to the web's two schemes.
web_address = URLValidator(schemes=list(WEB_SCHEMES), message=NOT_A_WEB_ADDRESS)


def site_url(path: str) -> str:
    """The absolute address of one of maca's own paths, as e-mails carry it."""
    return settings.MACA_BASE_URL.rstrip("/") + path


def site_domain() -> str:
    """The host and port of `MACA_BASE_URL`, as e-mails name the service."""
    return urlsplit(settings.MACA_BASE_URL).netloc


def link_problem(value: str) -> str | None:
    """What is wrong with a link someone gave, in words for them; None when it will do.
    An empty link is no link, and will do."""
    if not value:
        return None
    if len(value) > MAX_LINK:
        return TOO_LONG
    return None if is_web_address(value, strict=True) else NOT_A_WEB_ADDRESS


def is_web_address(value, *, strict: bool = False) -> bool:
    """Whether `value` may be the target of a link: an absolute http or https address.

    Rendering asks only for the scheme and a host (`strict=False`), which is what keeps a
    script or a file share out of an href; storing also asks Django's full check."""
    if not isinstance(value, str) or not value:
        return False
    try:
        parts = urlsplit(value)
    except ValueError:  # e.g. an unclosed [ in the host
        return False
    if parts.scheme.lower() not in WEB_SCHEMES or not parts.hostname:
        return False
    if strict:
        try:
            web_address(value)
        except ValidationError:
            return False
    return True
