"""The security headers a page must carry: the Content Security Policy (with the page's own
scripts checked against it) and `Cache-Control: no-store`. Used by the access table's walk
(tests/test_access.py) and tests/security/test_headers.py."""

from html.parser import HTMLParser


class Scripts(HTMLParser):
    """The page's script elements and any inline event handler or javascript: link."""

    def __init__(self):
        super().__init__()
        self.scripts, self.inline_handlers = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.scripts.append(attrs)
        self.inline_handlers += [
            f"<{tag} {key}>"
            for key, value in attrs.items()
            if key.startswith("on") or (value or "").strip().lower().startswith("javascript:")
        ]


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (directive.split() for directive in header.split(";") if directive)
    }


def assert_csp_holds(response):
    csp = policy(response)
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
    # The headers that go with it: no framing (for browsers without CSP), no sniffing, no
    # address sent to another site.
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    page = Scripts()
    page.feed(response.content.decode())
    assert page.inline_handlers == []
    for script in page.scripts:
        if script.get("type") == "application/json":
            continue  # a data block, which browsers never run
        if "src" not in script:  # inline: only with this response's nonce
            assert script.get("nonce") and f"'nonce-{script['nonce']}'" in csp["script-src"]


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")
