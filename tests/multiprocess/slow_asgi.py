"""The application, with the teacher's tally query slowed down by QRT_TEST_TALLY_DELAY seconds.

Test only: a slow database widens the moment in which a tally is being computed, so that
an answer stored by another process arrives exactly then.
"""

import os
import time

from QuestionsRT.asgi import application  # noqa: F401
from preguntas import live

_DELAY = float(os.environ.get("QRT_TEST_TALLY_DELAY", "0.5"))
_tally = live.tally


def _slow_tally(*args, **kwargs):
    time.sleep(_DELAY)
    return _tally(*args, **kwargs)


live.tally = _slow_tally
