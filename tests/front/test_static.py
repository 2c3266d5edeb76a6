import re

from django.urls import reverse


def test_every_stylesheet_and_script_the_pages_link_to_is_served(client, db):
    page = client.get(reverse("account_login")).content.decode()
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', page)
    assert any(a.endswith(".css") for a in assets) and any(a.endswith(".js") for a in assets)
    for asset in assets:
        response = client.get(asset)
        assert response.status_code == 200, asset
        b"".join(response.streaming_content)


def test_the_stylesheet_uses_arial_and_our_asset_path(client, db):
    response = client.get("/static/govuk/govuk-frontend.min.css")
    css = b"".join(response.streaming_content).decode()
    assert "Arial" in css and "GDS Transport" not in css
    assert "url(/assets" not in css
