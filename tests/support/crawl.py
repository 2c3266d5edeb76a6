"""Crawling maca as a person would: every page reachable from the home page by its links, and
the text of each answer (pages, PDFs, Word documents). Used by the board's crawl
(tests/learning/test_board_crawl.py) and the board's figures (test_board_derivation.py)."""

import re
import subprocess
import tempfile
from collections import deque
from io import BytesIO
from urllib.parse import urljoin, urlsplit

from docx import Document

SKIP = ("/static/", "/accounts/logout", "/admin/", "/api/v1/docs")


LIMIT = 600


def text_of(response) -> str:
    content_type = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if content_type.startswith("application/pdf"):
        with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
            pdf.write(body)
            pdf.flush()
            return subprocess.run(
                ["/usr/bin/pdftotext", pdf.name, "-"], capture_output=True, check=True, text=True
            ).stdout
    if "wordprocessingml" in content_type:
        document = Document(BytesIO(body))
        cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    return body.decode("utf-8", errors="replace")


def crawl(client, words=(), *, stop_when_found=False) -> tuple[dict[str, str], dict[str, set[str]]]:
    """Every page reachable from the home page by links: {url: content type}, and which of
    `words` were found on each page that has any."""
    seen, found = {}, {}
    queue = deque(["/"])
    words = [w.lower() for w in words]
    while queue and len(seen) < LIMIT:
        url = queue.popleft()
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = f"{response.status_code} {response.get('Content-Type', '')}"
        if response.status_code in (301, 302) and response["Location"].startswith("/"):
            queue.append(response["Location"])
        if response.status_code != 200:
            continue
        text = text_of(response)
        if hits := {word for word in words if word in text.lower()}:
            found[url] = hits
            if stop_when_found:
                break
        if response.get("Content-Type", "").startswith("text/html"):
            for href in re.findall(r'href="([^"]+)"', text):
                link = urljoin(url, href.replace("&amp;", "&")).split("#")[0]
                parts = urlsplit(link)
                if parts.netloc not in ("", "testserver") or not parts.path.startswith("/"):
                    continue
                link = parts.path + (f"?{parts.query}" if parts.query else "")
                if link not in seen and not link.startswith(SKIP):
                    queue.append(link)
    return seen, found
