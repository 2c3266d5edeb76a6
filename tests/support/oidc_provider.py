"""A small OpenID Connect provider, run by the tests as its own process (decision 75).

    python tests/support/oidc_provider.py --port 0 --client-id maca --client-secret s3cret
        --redirect-uri http://127.0.0.1:8081/accounts/oidc/police/login/callback/
        [--amr pwd,mfa] [--acr VALUE] [--audience other-client] [--expired] [--refuse EMAIL]

It prints its issuer (`http://127.0.0.1:PORT`) on its first line once it listens. It speaks the
authorization code flow as a real provider does, and checks what a real one checks: the client
and its exact redirect URI, PKCE (S256, required: a code is exchanged only with the verifier of
its challenge), the client's secret (basic or in the body), a code used once and soon. Its
sign-in page asks for an e-mail address (no password: the tests prove maca's side). Its ID
tokens are RS256, signed by a key made at start and published at its JWKS address.

What it can be told to get wrong, as a misconfigured or hostile provider would: `--audience`
names another client in the ID token, `--expired` issues ID tokens that expired an hour ago.
`--amr` and `--acr` are the claims saying how the person signed in. `--refuse EMAIL` refuses
that person (`error=access_denied`), as an organisation does someone who has left.
"""

import argparse
import base64
import hashlib
import html
import json
import os
import secrets
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

CODE_LIFETIME = 60
# The tests move maca's clock (MACA_TEST_SHIFT_DAYS, tests/conftest.py); a provider's clock
# agrees with its relying party's, so its tokens are dated in the same moved time.
CLOCK_SHIFT = int(os.environ.get("MACA_TEST_SHIFT_DAYS") or 0) * 24 * 60 * 60


def b64(number: int) -> str:
    data = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Provider:
    def __init__(self, options):
        self.options = options
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = secrets.token_hex(8)
        self.codes: dict[str, dict] = {}
        self.tokens: dict[str, dict] = {}
        self.issuer = ""

    def configuration(self) -> dict:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "scopes_supported": ["openid", "email", "profile"],
        }

    def jwks(self) -> dict:
        public = self.key.public_key().public_numbers()
        return {
            "keys": [
                {
                    "kty": "RSA",
                    "use": "sig",
                    "alg": "RS256",
                    "kid": self.kid,
                    "n": b64(public.n),
                    "e": b64(public.e),
                }
            ]
        }

    def id_token(self, grant: dict) -> str:
        now = int(time.time()) + CLOCK_SHIFT
        if self.options.expired:
            now -= 2 * 60 * 60
        claims = {
            "iss": self.issuer,
            "sub": hashlib.sha256(grant["email"].encode()).hexdigest()[:20],
            "aud": self.options.audience or self.options.client_id,
            "iat": now,
            "exp": now + 3600,
            "email": grant["email"],
            "email_verified": True,
            "name": grant["email"].split("@")[0],
        }
        if grant.get("nonce"):
            claims["nonce"] = grant["nonce"]
        if self.options.amr:
            claims["amr"] = self.options.amr.split(",")
        if self.options.acr:
            claims["acr"] = self.options.acr
        return jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": self.kid})


class Handler(BaseHTTPRequestHandler):
    provider: Provider

    def log_message(self, format, *args):  # quiet: the tests read their own output
        pass

    # -- answers ------------------------------------------------------------------------------

    def _send(self, status: int, body: bytes, content_type: str, headers=None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, data: dict) -> None:
        self._send(status, json.dumps(data).encode(), "application/json")

    def _page(self, status: int, text: str) -> None:
        self._send(status, text.encode(), "text/html; charset=utf-8")

    def _form(self) -> dict[str, str]:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode()
        return {key: values[0] for key, values in parse_qs(body).items()}

    # -- routes -------------------------------------------------------------------------------

    def do_GET(self):
        url = urlsplit(self.path)
        query = {key: values[0] for key, values in parse_qs(url.query).items()}
        if url.path == "/.well-known/openid-configuration":
            return self._json(200, self.provider.configuration())
        if url.path == "/jwks":
            return self._json(200, self.provider.jwks())
        if url.path == "/authorize":
            return self.sign_in_page(query)
        if url.path == "/userinfo":
            return self.userinfo()
        return self._page(404, "<h1>Not found</h1>")

    def do_POST(self):
        url = urlsplit(self.path)
        if url.path == "/authorize":
            return self.signed_in(self._form())
        if url.path == "/token":
            return self.token(self._form())
        return self._page(404, "<h1>Not found</h1>")

    def _authorization_problem(self, query: dict) -> str:
        options = self.provider.options
        if query.get("client_id") != options.client_id:
            return "unknown client"
        if query.get("redirect_uri") != options.redirect_uri:
            return "redirect URI not registered"
        if query.get("response_type") != "code":
            return "only the code flow"
        if "openid" not in query.get("scope", "").split():
            return "not an OpenID Connect request"
        if query.get("code_challenge_method") != "S256" or not query.get("code_challenge"):
            return "PKCE (S256) is required"
        return ""

    def sign_in_page(self, query: dict) -> None:
        problem = self._authorization_problem(query)
        if problem:
            return self._page(400, f"<h1>Bad request</h1><p>{html.escape(problem)}</p>")
        hidden = "".join(
            f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
            for k, v in query.items()
            if k != "login_hint"
        )
        hint = html.escape(query.get("login_hint", ""))
        self._page(
            200,
            "<!DOCTYPE html><html lang='en'><head><title>Test provider</title></head><body>"
            "<main><h1>Test provider: sign in</h1><form method='post' action='/authorize'>"
            f"{hidden}<label for='email'>Work e-mail</label>"
            f"<input id='email' name='email' type='email' value='{hint}'>"
            "<button type='submit'>Sign in to your organisation</button></form></main>"
            "</body></html>",
        )

    def signed_in(self, form: dict) -> None:
        problem = self._authorization_problem(form)
        if problem:
            return self._page(400, f"<h1>Bad request</h1><p>{html.escape(problem)}</p>")
        if form.get("email", "").strip() in self.provider.options.refuse:
            # Disabled here (a leaver): sent back with the protocol's refusal, no code.
            back = {"error": "access_denied", "error_description": "account disabled"}
            if "state" in form:
                back["state"] = form["state"]
            location = f"{form['redirect_uri']}?{urlencode(back)}"
            return self._send(302, b"", "text/plain", {"Location": location})
        code = secrets.token_urlsafe(24)
        self.provider.codes[code] = {
            "email": form.get("email", "").strip(),
            "challenge": form["code_challenge"],
            "redirect_uri": form["redirect_uri"],
            "nonce": form.get("nonce", ""),
            "at": time.time(),
        }
        back = {"code": code}
        if "state" in form:
            back["state"] = form["state"]
        self._send(
            302, b"", "text/plain", {"Location": f"{form['redirect_uri']}?{urlencode(back)}"}
        )

    def _client_authenticated(self, form: dict) -> bool:
        options = self.provider.options
        header = self.headers.get("Authorization", "")
        if header.startswith("Basic "):
            decoded = base64.b64decode(header[6:]).decode()
            client_id, _, secret = decoded.partition(":")
        else:
            client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
        return client_id == options.client_id and secrets.compare_digest(
            secret, options.client_secret
        )

    def token(self, form: dict) -> None:
        if not self._client_authenticated(form):
            return self._json(401, {"error": "invalid_client"})
        if form.get("grant_type") != "authorization_code":
            return self._json(400, {"error": "unsupported_grant_type"})
        grant = self.provider.codes.pop(form.get("code", ""), None)
        if grant is None or time.time() - grant["at"] > CODE_LIFETIME:
            return self._json(400, {"error": "invalid_grant"})
        if form.get("redirect_uri") != grant["redirect_uri"]:
            return self._json(400, {"error": "invalid_grant"})
        verifier = form.get("code_verifier", "")
        digest = hashlib.sha256(verifier.encode()).digest()
        challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
        if not verifier or challenge != grant["challenge"]:
            return self._json(400, {"error": "invalid_grant", "error_description": "PKCE"})
        access_token = secrets.token_urlsafe(24)
        self.provider.tokens[access_token] = grant
        self._json(
            200,
            {
                "access_token": access_token,
                "token_type": "Bearer",
                "expires_in": 3600,
                "id_token": self.provider.id_token(grant),
            },
        )

    def userinfo(self) -> None:
        header = self.headers.get("Authorization", "")
        grant = self.provider.tokens.get(header.removeprefix("Bearer "))
        if grant is None:
            return self._json(401, {"error": "invalid_token"})
        sub = hashlib.sha256(grant["email"].encode()).hexdigest()[:20]
        self._json(
            200,
            {
                "sub": sub,
                "email": grant["email"],
                "email_verified": True,
                "name": grant["email"].split("@")[0],
            },
        )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--client-id", required=True)
    parser.add_argument("--client-secret", required=True)
    parser.add_argument("--redirect-uri", required=True)
    parser.add_argument("--amr", default="")
    parser.add_argument("--acr", default="")
    parser.add_argument("--audience", default="")
    parser.add_argument("--expired", action="store_true")
    parser.add_argument("--refuse", action="append", default=[], metavar="EMAIL")
    options = parser.parse_args(argv)

    provider = Provider(options)
    Handler.provider = provider
    server = ThreadingHTTPServer(("127.0.0.1", options.port), Handler)
    provider.issuer = f"http://127.0.0.1:{server.server_address[1]}"
    print(provider.issuer, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    sys.exit(main())
