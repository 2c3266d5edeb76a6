"""The repository stands alone: nothing in it points at a folder outside it."""

import re
import subprocess
import tomllib
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
# That folder as a path, alone or as `../` it: not a folder of that name inside the repository
# (`static/…/`). The `[e]` keeps this file from naming it.
OUTSIDE = re.compile(rb"(?<![\w/.-])shar[e]d/|\.\./shar[e]d")


def repository_files() -> list[str]:
    """Every file git keeps or would keep (tracked, or new and not ignored)."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        check=True,
    )
    return [name for name in listed.stdout.decode().split("\0") if name]


def test_no_file_points_at_a_folder_outside_the_repository():
    files = repository_files()
    assert "maca/access.py" in files and "docs/domain.md" in files
    found = []
    for name in files:
        path = ROOT / name
        if not path.is_file():  # deleted but not yet committed
            continue
        for number, line in enumerate(path.read_bytes().splitlines(), start=1):
            if OUTSIDE.search(line):
                found.append(f"{name}:{number}: {line.decode(errors='replace').strip()[:120]}")
    assert found == []


def test_the_pattern_finds_what_it_is_for():
    assert OUTSIDE.search(b"see " + b"shar" + b"ed/domain.md")
    assert OUTSIDE.search(b"(`../" + b"shar" + b"ed/bundle-format.md`)")
    assert not OUTSIDE.search(b"maca/static/" + b"shar" + b"ed/logo.svg")
    assert not OUTSIDE.search(b"a shared inbox, shared texts")


def test_the_licence_is_at_the_root_and_is_the_one_pyproject_names():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["license"] == "MIT"
    licence = (ROOT / "LICENSE").read_text()
    assert licence.startswith("MIT License")
    assert "Copyright (c) 2026 maca contributors" in licence
