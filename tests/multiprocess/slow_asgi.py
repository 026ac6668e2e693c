"""The application with a slow database, for widening races between processes. Test only.

- QRT_TEST_TALLY_DELAY: seconds added to each read of a round's counts for a teacher (preguntas.game.tallies.tally
  on connect, tallies.running when a round opens or changes);
- QRT_TEST_STORE_DELAY: seconds added to each batch of answers written (preguntas.game.answers.store);
- QRT_TEST_FAILED_STORES: how many batches of answers fail first, as when the database is down.
"""

import os
import time

from django.db import OperationalError

from QuestionsRT.asgi import application  # noqa: F401
from preguntas.game import answers, tallies


def _slowed(function, delay: float):
    def slow(*args, **kwargs):
        time.sleep(delay)
        return function(*args, **kwargs)

    return slow


if float(os.environ.get("QRT_TEST_TALLY_DELAY", 0)):
    tallies.tally = _slowed(tallies.tally, float(os.environ["QRT_TEST_TALLY_DELAY"]))
    tallies.running = _slowed(tallies.running, float(os.environ["QRT_TEST_TALLY_DELAY"]))
if float(os.environ.get("QRT_TEST_STORE_DELAY", 0)):
    answers.store = _slowed(answers.store, float(os.environ["QRT_TEST_STORE_DELAY"]))


def _failing_first(function, failures: int):
    left = [failures]

    def failing(*args, **kwargs):
        if left[0] > 0:
            left[0] -= 1
            raise OperationalError("the database is down (QRT_TEST_FAILED_STORES)")
        return function(*args, **kwargs)

    return failing


if int(os.environ.get("QRT_TEST_FAILED_STORES", 0)):
    answers.store = _failing_first(answers.store, int(os.environ["QRT_TEST_FAILED_STORES"]))
