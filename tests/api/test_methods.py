"""A method a path of the API does not have answers JSON 405 naming the methods it has, with or
without a token; a path it does not have answers JSON 404."""

import pytest


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("delete", "/audits", "GET"),
        ("post", "/audits/1", "GET"),
        ("patch", "/requests/1/return", "GET, PUT"),
        ("get", "/requests/1/return/submit", "POST"),
        ("put", "/actions/1/progress", "POST"),
        ("get", "/bundles", "POST"),
    ],
)
@pytest.mark.parametrize("with_token", [True, False], ids=["token", "no token"])
def test_a_method_the_path_does_not_have_is_a_json_405(
    method, path, allowed, with_token, coordinator, api_as
):
    api = api_as(coordinator if with_token else None)
    response = getattr(api.client, method)(f"/api/v1{path}", headers=api.headers)
    assert response.status_code == 405
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert sorted(response["Allow"].split(", ")) == sorted(allowed.split(", "))
    assert response.json() == {
        "detail": f"{method.upper()} is not allowed here: use {response['Allow']}"
    }


def test_an_unknown_path_is_a_json_404_whatever_the_method(coordinator, api_as):
    api = api_as(coordinator)
    for method in ("get", "post", "put", "delete"):
        response = getattr(api.client, method)("/api/v1/nothing/here", headers=api.headers)
        assert (response.status_code, response.json()) == (404, {"detail": "Not found"})


@pytest.mark.parametrize("audit_id", ["²", "٣", "99999999999999999999"])
def test_an_id_that_is_not_a_number_is_refused_naming_it(audit_id, coordinator, api_as):
    # "²" and "٣" are digits to str.isdigit(): the API's own parsing refuses them.
    response = api_as(coordinator).get(f"/audits/{audit_id}")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "audit_id"]
