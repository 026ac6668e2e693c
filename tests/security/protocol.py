"""What docs/protocol.md documents, read from the document itself.

The security tests check every error and close code they see against these sets, so
that a code the server starts sending without documenting it fails a test.
"""

import re
from pathlib import Path

PROTOCOL_MD = Path(__file__).resolve().parents[2] / "docs" / "protocol.md"


def _table_codes(section: str) -> set[str]:
    text = PROTOCOL_MD.read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(section)}\n(.*?)(?=^## |\Z)", text, flags=re.M | re.S)
    assert match, f"docs/protocol.md has no '## {section}' section"
    return set(re.findall(r"^\| `?([\w]+)`? \|", match.group(1), flags=re.M)) - {"code"}


DOCUMENTED_ERROR_CODES = _table_codes("Error codes")
DOCUMENTED_CLOSE_CODES = {int(code) for code in _table_codes("Close codes") if code.isdigit()}


def has_key(value, key) -> bool:
    """Whether ``key`` appears anywhere in a decoded JSON frame."""
    if isinstance(value, dict):
        return key in value or any(has_key(item, key) for item in value.values())
    if isinstance(value, list):
        return any(has_key(item, key) for item in value)
    return False
