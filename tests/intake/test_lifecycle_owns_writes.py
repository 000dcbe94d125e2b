"""Only the lifecycle writes a request and what hangs off it: no module outside
``intake/lifecycle/`` creates, updates or deletes one through its manager, nor writes the
request's audit log (read from the code itself)."""

import ast
from pathlib import Path

INTAKE = Path(__file__).resolve().parents[2] / "intake"
OWNED = {
    "IntakeRequest",
    "Appointment",
    "RequestMessage",
    "RequestNote",
    "Attachment",
    "SessionRecord",
    "ActionItem",
    "CalendarFeed",
    "SatisfactionAnswer",
}
WRITES = {
    "create",
    "update",
    "delete",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
}


def writes_outside_the_lifecycle(root=INTAKE):
    found = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if relative.parts[0] in ("lifecycle", "migrations"):
            continue
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.ImportFrom)
                and node.module == "wagtail.log_actions"
                and any(alias.name == "log" for alias in node.names)
            ):
                found.append(f"{relative}:{node.lineno} imports the audit log's writer")
            if (
                isinstance(node, ast.Attribute)
                and node.attr in WRITES
                and isinstance(node.value, ast.Attribute)
                and node.value.attr == "objects"
                and isinstance(node.value.value, ast.Name)
                and node.value.value.id in OWNED
            ):
                found.append(f"{relative}:{node.lineno} {node.value.value.id}.objects.{node.attr}")
    return found


def test_no_module_outside_the_lifecycle_writes_a_request_or_its_parts():
    assert writes_outside_the_lifecycle() == []


def test_the_check_sees_a_write(tmp_path):
    module = tmp_path / "intake" / "backoffice"
    module.mkdir(parents=True)
    (module / "screen.py").write_text(
        "from wagtail.log_actions import log\nActionItem.objects.create(title='x')\n"
    )
    assert writes_outside_the_lifecycle(tmp_path / "intake") == [
        "backoffice/screen.py:1 imports the audit log's writer",
        "backoffice/screen.py:2 ActionItem.objects.create",
    ]
