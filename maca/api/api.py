"""The REST API, version 1: `/api/v1/`, its OpenAPI document at `/api/v1/openapi.json` and the
document read out as a maca page (`docs.ReadableDocs`, no JavaScript) at `/api/v1/docs`.

Every operation needs a personal API token (`auth.TokenAuth`) and scopes through `maca.access`
as the pages do. Errors are JSON: `{"detail": "..."}` for 401 and 404 (another agency's or
partnership's id answers exactly as a missing one), `{"detail": [{"loc": [...], "msg": "..."}]}`
for 400 (a rule refused the change) and 422 (the request does not match the document).
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpResponseNotAllowed
from django.urls import URLPattern, path
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from maca.errors import DomainError
from maca.uploads.limits import size_words

from . import (
    actions,
    agencies,
    areas,
    audits,
    bundles,
    cases,
    editions,
    feedback,
    partnership,
    ratifications,
    recommendations,
    reports,
    requests,
    returns,
    themes,
)
from .auth import TokenAuth
from .docs import ReadableDocs

DESCRIPTION = """\
Multi-agency case audits, for programs. Every call sends a personal API token, made on
the "API tokens" page: `Authorization: Bearer maca_…`. A token acts with exactly its user's
rights in the partnership it was made for. See docs/api.md for examples.
"""


def unknown_path(request, *args, **kwargs):
    """Anything else under /api/: the same JSON 404 as a missing id, never an HTML page."""
    return api.create_response(request, {"detail": "Not found"}, status=404)


def json_not_allowed(view):
    """A method the path does not have: ninja answers 405 in plain text; this, in JSON, with
    the `Allow` header naming the methods it does have."""

    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = ", ".join(sorted(response["Allow"].split(", ")))
            message = f"{request.method} is not allowed here: use {allowed}"
            response = api.create_response(request, {"detail": message}, status=405)
            response["Allow"] = allowed
        return response

    wrapped.csrf_exempt = True  # as ninja's own views: a token, not a cookie, authenticates
    return wrapped


class MacaAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        return operation.view_func.__name__  # "audit_list", not "maca_api_audits_audit_list"

    def _get_urls(self):
        urls = []
        for url in super()._get_urls():
            if url.name == "api-root":
                # ninja's root raises a bare Http404, which Django answers with an HTML page.
                url = path("", unknown_path, name="api-root")
            elif isinstance(url, URLPattern) and not url.name.startswith("openapi-"):
                url = URLPattern(
                    url.pattern, json_not_allowed(url.callback), url.default_args, url.name
                )
            urls.append(url)
        return urls


api = MacaAPI(
    version="1",
    title="maca API",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    auth=TokenAuth(),
    # The document read out as a GOV.UK page: Swagger UI failed WCAG 2.2 AA (decision 51).
    docs=ReadableDocs(),
)

for module in (
    partnership,
    areas,
    agencies,
    audits,
    cases,
    requests,
    returns,
    ratifications,
    themes,
    recommendations,
    reports,
    editions,
    feedback,
    actions,
    bundles,
):
    api.add_router("", module.router)


@api.exception_handler(Exception)
def unexpected(request, error: Exception):
    # Django's own handling (logged, the 500 page), never ninja's plain-text trace in DEBUG.
    raise error


def _errors(request, errors: list[dict], status: int):
    return api.create_response(request, {"detail": errors}, status=status)


@api.exception_handler(DomainError)
def domain_error(request, error: DomainError):
    """A service refused the change: each field it names, with what is wrong."""
    named = getattr(error, "errors", None) or {error.field: error.message}
    return _errors(
        request,
        [{"loc": ["body", field] if field else [], "msg": msg} for field, msg in named.items()],
        400,
    )


@api.exception_handler(ValidationError)
def validation_error(request, error: ValidationError):
    """The request does not match the document. The body's parameter name is left out of
    `loc`, so a field is named as it is sent: ["body", "note"]."""
    detail = []
    for item in error.errors:
        loc = list(item.get("loc", ()))
        if loc[:1] == ["body"] and len(loc) > 1:
            del loc[1]
        detail.append({"loc": loc, "msg": str(item.get("msg", "Invalid"))})
    return _errors(request, detail, 422)


@api.exception_handler(HttpError)
def http_error(request, error: HttpError):
    if error.status_code == 400:  # a body that is not JSON at all
        return _errors(request, [{"loc": ["body"], "msg": error.message}], 400)
    return api.create_response(request, {"detail": error.message}, status=error.status_code)


@api.exception_handler(RequestDataTooBig)
def too_big(request, error: RequestDataTooBig):
    limit = size_words(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    message = f"The request body is larger than {limit}, more than maca reads"
    return _errors(request, [{"loc": ["body"], "msg": message}], 400)


@api.exception_handler(Http404)
def not_found(request, error: Http404):
    # One body for every 404: another agency's id must read exactly as a missing one.
    return api.create_response(request, {"detail": "Not found"}, status=404)


@api.exception_handler(AuthenticationError)
def unauthorised(request, error: AuthenticationError):
    response = api.create_response(request, {"detail": error.message}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="maca"'
    return response
