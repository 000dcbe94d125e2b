"""HTML validity (RGAA 8.2) with the Nu Html Checker, for any set of rendered documents.

The checker is the npm package vnu-jar (`package.json`, installed by `make test`) run on
the machine's Java. It takes seconds to start, so callers collect every document first and
validate them in one run. Without Java or the jar the caller is skipped, or fails in CI.
"""

import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

VNU_JAR = Path(__file__).resolve().parent.parent / "node_modules/vnu-jar/build/dist/vnu.jar"
VNU_TIMEOUT = 600


@dataclass(frozen=True)
class HtmlError:
    document: str
    line: int | None
    column: int | None
    message: str
    extract: str

    def __str__(self):
        where = f"{self.document}:{self.line or '?'}:{self.column or '?'}"
        return f"{where}: {self.message}\n    {self.extract.strip()}"


def _unavailable(reason):
    if os.environ.get("CI"):
        pytest.fail(f"The HTML validity check cannot be skipped in CI: {reason}")
    pytest.skip(reason)


def vnu_command():
    """The checker's command line; skips the caller (fails it in CI) when it cannot run."""
    java = shutil.which("java")
    if java is None:
        _unavailable("java is missing (apt-get install openjdk-17-jre-headless)")
    if not VNU_JAR.exists():
        _unavailable(f"{VNU_JAR} is missing (make test installs it with npm ci)")
    return [java, "-jar", str(VNU_JAR), "--format", "json", "--errors-only", "--stdout"]


def html_errors(documents):
    """Every error the checker finds in `documents`, a dict {name: HTML text or bytes}."""
    command = vnu_command()
    if not documents:
        return []  # vnu given no file would read its standard input
    with tempfile.TemporaryDirectory(prefix="vnu-") as directory:
        # Files named by number: a document's name may be a URL with a query string.
        names = {}
        for number, (name, html) in enumerate(documents.items()):
            path = Path(directory) / f"{number:03d}.html"
            path.write_bytes(html.encode() if isinstance(html, str) else html)
            names[path.name] = name
        result = subprocess.run(
            [*command, *(str(Path(directory) / filename) for filename in names)],
            capture_output=True,
            encoding="utf-8",  # what vnu writes, whatever the locale
            timeout=VNU_TIMEOUT,
            check=False,
        )
    return read_report(result.stdout or result.stderr, names)


def read_report(report, names):
    """The errors of vnu's JSON report; `names` maps the files it checked to documents."""
    try:
        messages = json.loads(report)["messages"]
    except (json.JSONDecodeError, KeyError) as error:
        raise RuntimeError(f"vnu gave no report: {report}") from error
    return [
        HtmlError(
            document=names.get(message.get("url", "").rsplit("/", 1)[-1], message.get("url")),
            line=message.get("lastLine"),
            column=message.get("firstColumn"),
            message=message.get("message", ""),
            extract=message.get("extract", ""),
        )
        for message in messages
    ]


def assert_valid_html(documents):
    """Fails with every error, document by document, unless all `documents` are valid."""
    errors = html_errors(documents)
    assert not errors, f"{len(errors)} HTML error(s):\n" + "\n".join(map(str, errors))
