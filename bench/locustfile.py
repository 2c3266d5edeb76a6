"""The load benchmark's people, for locust (run by bench/load.py, which sets everything up).

Everyone is already signed in: bench/load.py makes a session for each and hands them over in
the JSON file named by MACA_BENCH_PEOPLE. Signing in is left out on purpose: its password hash
is made slow by design, and people sign in once a day, not once a minute.

The mix, near a deadline: agency auditors open their return and save it as they type (the
page's autosave, with the version it was opened at); coordinators watch the tracking page, the
dashboard and the actions; board members read the dashboard and a published report; one
coordinator asks for the meeting pack now and then, which a background worker renders. Each
person waits 2 to 6 seconds between requests (reading, typing).

This file is read by locust only: it must not import Django (locust patches the standard
library with gevent first).
"""

import itertools
import json
import os
import re

from locust import FastHttpUser, between, constant, task

PEOPLE = json.loads(open(os.environ["MACA_BENCH_PEOPLE"], encoding="utf-8").read())  # noqa: SIM115
SESSION_COOKIE = PEOPLE["session_cookie"]
# MACA_BENCH_WAIT=none: nobody waits (the capacity runs: the most the server answers).
WAIT = constant(0) if os.environ.get("MACA_BENCH_WAIT") == "none" else between(2, 6)

# Each simulated person takes the next session of their role (an auditor: their own return).
_sessions = {role: itertools.cycle(PEOPLE[role]) for role in ("auditor", "coordinator", "board")}
_version = re.compile(r'name="version" value="(\d*)"')
_csrf = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Person(FastHttpUser):
    abstract = True
    wait_time = WAIT
    role = ""

    def on_start(self):
        self.person = self.next_person()
        self.client.cookiejar.set_cookie(_cookie(SESSION_COOKIE, self.person["session"]))

    def next_person(self) -> dict:
        return next(_sessions[self.role])

    def page(self, name: str, url: str):
        # A redirect is a failure: followed, a session sent to sign in again (or to set up its
        # second factor) would be timed as a quick page.
        with self.client.get(
            url, name=name, catch_response=True, allow_redirects=False
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
            return response


class Baseline(Person):
    """The trivial view: the baseline's rate, with the same people and the same waits."""

    role = "coordinator"

    @task
    def trivial(self):
        self.page("trivial view (baseline)", "/bench/trivial/")


class Auditor(Person):
    weight = 25
    role = "auditor"

    def on_start(self):
        super().on_start()
        self.typed = 0
        self.open_return()

    def open_return(self):
        response = self.page("return (open)", self.person["return"])
        text = response.text or ""
        version, csrf = _version.search(text), _csrf.search(text)
        self.version = version.group(1) if version else ""
        self.csrf = csrf.group(1) if csrf else ""

    @task(1)
    def reopen(self):
        self.open_return()

    @task(1)
    def my_requests(self):
        self.page("my requests", "/requests/")

    @task(4)
    def type_and_save(self):
        self.typed += 1
        data = {
            "csrfmiddlewaretoken": self.csrf,
            "version": self.version,
            "learning": f"Notes typed by the bench, revision {self.typed}.",
        }
        with self.client.post(
            self.person["autosave"],
            data=data,
            headers={"HX-Request": "true", "Referer": self.host + self.person["return"]},
            name="return (autosave)",
            catch_response=True,
            allow_redirects=False,
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
                return
            version = _version.search(response.text or "")
            if version:
                self.version = version.group(1)


class Coordinator(Person):
    weight = 15
    role = "coordinator"

    @task(3)
    def tracking(self):
        self.page("tracking", self.person["tracking"])

    @task(2)
    def dashboard(self):
        self.page("dashboard", "/dashboard/")
        self.page("dashboard (a part)", "/dashboard/grades/")

    @task(1)
    def home(self):
        self.page("home", "/")

    @task(1)
    def audit(self):
        self.page("audit", self.person["audit"])

    @task(1)
    def monitoring(self):
        self.page("actions (monitoring)", "/actions/")


class BoardMember(Person):
    weight = 8
    role = "board"

    @task(2)
    def dashboard(self):
        self.page("dashboard", "/dashboard/")
        self.page("dashboard (a part)", "/dashboard/grades/")

    @task(1)
    def edition(self):
        self.page("published report", self.person["edition"])


class PackRequester(Person):
    """One coordinator asks for the meeting pack (about 30 pages of PDF, rendered by the
    background worker) every 20 to 30 seconds, and watches its page."""

    fixed_count = 1
    role = "coordinator"
    wait_time = between(20, 30)

    def on_start(self):
        super().on_start()
        response = self.page("meeting pack", self.person["pack"])
        csrf = _csrf.search(response.text or "")
        self.csrf = csrf.group(1) if csrf else ""

    @task
    def ask_for_the_pack(self):
        self.client.post(
            self.person["pack_request"],
            data={"csrfmiddlewaretoken": self.csrf},
            headers={"Referer": self.host + self.person["pack"]},
            name="meeting pack (ask)",
            allow_redirects=False,
        )
        self.page("meeting pack", self.person["pack"])


def _cookie(name: str, value: str):
    from http.cookiejar import Cookie

    return Cookie(
        version=0,
        name=name,
        value=value,
        port=None,
        port_specified=False,
        domain="127.0.0.1",
        domain_specified=False,
        domain_initial_dot=False,
        path="/",
        path_specified=True,
        secure=False,
        expires=None,
        discard=True,
        comment=None,
        comment_url=None,
        rest={},
    )
