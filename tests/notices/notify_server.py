"""A local HTTP server that implements the small part of GOV.UK Notify's API that maca's client
calls: send an e-mail (POST /v2/notifications/email) and read its status
(GET /v2/notifications/<id>). Like Notify, it refuses a request whose JWT is not signed with
the service's secret, names a service it does not know, or is older than 30 seconds
(`notifications_python_client.authentication.decode_jwt_token`, the check Notify runs), and a
template it does not know. `statuses` says what each sent e-mail's status reads as."""

import json
import re
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from notifications_python_client.authentication import decode_jwt_token, get_token_issuer
from notifications_python_client.errors import TokenError

SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
API_KEY = f"maca_test-{SERVICE_ID}-{SECRET}"
TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"


class FakeNotify:
    def __init__(self):
        self.sent: list[dict] = []  # each e-mail Notify was asked to send
        self.statuses: dict[str, str] = {}  # notification id -> status it reads as
        self.refused: list[str] = []  # why each refused request was refused
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def _handler(self):
        notify = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def _answer(self, status: int, body: dict):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _error(self, status: int, error: str, message: str):
                notify.refused.append(message)
                self._answer(
                    status,
                    {"status_code": status, "errors": [{"error": error, "message": message}]},
                )

            def _authorised(self) -> bool:
                header = self.headers.get("Authorization", "")
                token = header.removeprefix("Bearer ")
                try:
                    if get_token_issuer(token) != SERVICE_ID:
                        raise TokenError("unknown service", token)
                    decode_jwt_token(token, SECRET)
                except TokenError as error:
                    self._error(403, "AuthError", f"Invalid token: {error.message}")
                    return False
                return True

            def do_POST(self):
                if not self._authorised():
                    return
                if self.path != "/v2/notifications/email":
                    return self._error(404, "NotFound", "Not found")
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if body.get("template_id") != TEMPLATE_ID:
                    return self._error(400, "BadRequestError", "Template not found")
                notification_id = str(uuid.uuid4())
                notify.sent.append({"id": notification_id, **body})
                self._answer(
                    201,
                    {
                        "id": notification_id,
                        "reference": None,
                        "content": body.get("personalisation", {}),
                        "uri": f"{notify.url}/v2/notifications/{notification_id}",
                        "template": {"id": TEMPLATE_ID, "version": 1, "uri": ""},
                    },
                )

            def do_GET(self):
                if not self._authorised():
                    return
                found = re.fullmatch(r"/v2/notifications/([0-9a-f-]{36})", self.path)
                ids = {sent["id"]: sent for sent in notify.sent}
                if not found or found.group(1) not in ids:
                    return self._error(404, "NoResultFound", "No result found")
                sent = ids[found.group(1)]
                status = notify.statuses.get(sent["id"], "sending")
                self._answer(
                    200,
                    {"id": sent["id"], "email_address": sent["email_address"], "status": status},
                )

        return Handler
