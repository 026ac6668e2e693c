"""The application with a slow database, for widening races between processes. Test only.

- QRT_TEST_TALLY_DELAY: seconds added to each teacher tally query (preguntas.live.tally);
- QRT_TEST_STORE_DELAY: seconds added to each batch of answers written (preguntas.answers.store_answers).
"""

import os
import time

from QuestionsRT.asgi import application  # noqa: F401
from preguntas import answers, live


def _slowed(function, delay: float):
    def slow(*args, **kwargs):
        time.sleep(delay)
        return function(*args, **kwargs)

    return slow


if float(os.environ.get("QRT_TEST_TALLY_DELAY", 0)):
    live.tally = _slowed(live.tally, float(os.environ["QRT_TEST_TALLY_DELAY"]))
if float(os.environ.get("QRT_TEST_STORE_DELAY", 0)):
    answers.store_answers = _slowed(answers.store_answers, float(os.environ["QRT_TEST_STORE_DELAY"]))
