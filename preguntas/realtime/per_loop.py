"""Process-wide helpers, one per event loop.

Under Daphne a process runs one event loop, so each is one per process; the tests
run each test on a loop of its own, so none leaks from one test into the next.
"""

import asyncio
import weakref


def per_loop(factory):
    """A function that returns the running loop's instance of `factory`, made on first use."""
    instances: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def get():
        loop = asyncio.get_running_loop()
        if loop not in instances:
            instances[loop] = factory()
        return instances[loop]

    return get
