"""The curl examples of docs/api.md run as written: each ```sh block after a
`<!-- curl-test: NAME -->` marker runs with bash, in that order, against a live server holding
the demo (`load_demo`, ids from 1 as in `make demo`), with `MACA` the server's address and
`TOKEN` a token of the demo's coordinator, from a folder holding the repository's `demo/`."""

import json
import os
import re
import shutil
import subprocess
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from maca.accounts.models import User
from maca.api.services import token_create
from maca.audits.models import Audit
from maca.demo.management.commands.load_demo import DEMO
from maca.history.models import ChangeRecord
from maca.partnerships.models import Partnership

DOC = settings.BASE_DIR / "docs" / "api.md"
MARKED = re.compile(r"<!-- curl-test: ([\w-]+) -->\n```sh\n(.*?)```", re.DOTALL)
TRANSITIONS = "Transitions from children's to adults' services"
NEGLECT = "Neglect: recognising cumulative harm"
BASH = shutil.which("bash") or "/bin/bash"


def examples() -> dict[str, str]:
    return dict(MARKED.findall(DOC.read_text(encoding="utf-8")))


def test_the_doc_marks_the_examples_this_test_checks():
    assert list(examples()) == ["summary", "editions", "pdf", "export", "import"]


@pytest.mark.django_db(transaction=True, reset_sequences=True)
def test_the_curl_examples_run_as_written_against_the_demo(live_server, tmp_path):
    call_command("load_demo", "--without-feedback-packs", stdout=StringIO())
    coordinator = User.objects.get(email="coordinator@example.org")
    _, secret = token_create(
        user=coordinator, partnership=Partnership.objects.get(name=DEMO), name="curl examples"
    )
    (tmp_path / "demo").symlink_to(settings.BASE_DIR / "demo")
    env = os.environ | {"MACA": live_server.url, "TOKEN": secret}

    def run(name: str) -> str:
        done = subprocess.run(
            [BASH, "-eu", "-c", examples()[name]],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, f"{name}: {done.stderr}{done.stdout}"
        return done.stdout

    summary = json.loads(run("summary"))
    assert summary["audit"] | {"theme": None} == {
        "id": 5,
        "title": "Children living with domestic abuse",
        "theme": None,
        "status": "monitoring",
    }
    assert sum(summary["grades"].values()) == summary["cases"] == 9

    editions = json.loads(run("editions"))
    assert [e["number"] for e in editions["items"]] == [1]
    assert editions["items"][0]["links"]["pdf"] == "/api/v1/audits/5/report/editions/1.pdf"

    run("pdf")
    assert (tmp_path / "report-audit-5-edition-1.pdf").read_bytes().startswith(b"%PDF")

    run("export")
    exported = json.loads((tmp_path / "transitions.json").read_text(encoding="utf-8"))
    assert (exported["format"], exported["audit"]["title"]) == ("maca-audit-bundle/1", TRANSITIONS)

    head, _, body = run("import").replace("\r\n", "\n").partition("\n\n")
    assert head.splitlines()[0].split()[1:] == ["201", "Created"]
    audit = Audit.objects.get(title=NEGLECT)
    assert f"Location: /api/v1/audits/{audit.pk}" in head.splitlines()
    assert json.loads(body) == {"id": audit.pk, "title": NEGLECT, "cases": 15}
    assert audit.pk == 7  # replaced: the demo's audit 3 (of 6) is gone, the bundle's is new
    assert ChangeRecord.objects.filter(audit_id=audit.pk, via="api", user=coordinator).exists()
