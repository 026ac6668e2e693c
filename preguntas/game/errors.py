"""Refusals: the error every rule raises, and the checks of values that come from outside."""

# The database's integer range: an id outside it matches nothing, and must not reach a query.
MAX_ID = 2**63 - 1


class GameError(Exception):
    """A rule refused an action; ``code`` is one of docs/protocol.md's error codes."""

    def __init__(self, code: str, detail: str):
        super().__init__(detail)
        self.code = code
        self.detail = detail


def is_int(value) -> bool:
    """An integer as JSON gives it (Python counts booleans as ints; JSON does not)."""
    return isinstance(value, int) and not isinstance(value, bool)


def is_id(value) -> bool:
    """An integer that can name a row: a larger one names none."""
    return is_int(value) and -MAX_ID <= value <= MAX_ID
