"""The batchers' shared mechanics: what arrives together is handled together, and a failure reaches its senders."""

import asyncio

import pytest

from preguntas.realtime.batcher import Batcher, settle


class Doubler(Batcher):
    """Doubles numbers, a batch at a time; a batch with a negative number fails as a whole."""

    def __init__(self):
        super().__init__()
        self.batches = []

    async def handle(self, batch):
        self.batches.append([n for n, _ in batch])
        await asyncio.sleep(0.01)  # meanwhile, more arrive
        if any(n < 0 for n, _ in batch):
            raise ValueError("negative")
        for n, future in batch:
            settle(future, 2 * n)


async def test_what_arrives_while_a_batch_is_handled_is_handled_together():
    doubler = Doubler()
    first = asyncio.ensure_future(doubler.submit(1))
    await asyncio.sleep(0)
    rest = [asyncio.ensure_future(doubler.submit(n)) for n in (2, 3, 4)]
    assert await first == 2
    assert await asyncio.gather(*rest) == [4, 6, 8]
    assert doubler.batches == [[1], [2, 3, 4]]


async def test_a_failed_batch_raises_to_each_of_its_senders_and_the_next_batch_still_runs():
    doubler = Doubler()
    first = asyncio.ensure_future(doubler.submit(-1))
    await asyncio.sleep(0)
    later = asyncio.ensure_future(doubler.submit(5))
    with pytest.raises(ValueError):
        await first
    assert await later == 10


async def test_a_sender_that_has_gone_is_skipped():
    future = asyncio.get_running_loop().create_future()
    future.cancel()
    settle(future, 1)  # no InvalidStateError
    assert future.cancelled()


class Lingering(Doubler):
    LINGER = 10.0  # far longer than any test waits
    ENOUGH = 2


async def test_a_lone_item_waits_for_company_and_enough_items_go_at_once():
    doubler = Lingering()
    first = asyncio.ensure_future(doubler.submit(1))
    await asyncio.sleep(0.05)
    assert not first.done(), "one item waits for more"
    second = asyncio.ensure_future(doubler.submit(2))
    assert await asyncio.wait_for(asyncio.gather(first, second), 5) == [2, 4], "two are enough: no more waiting"
    assert doubler.batches == [[1, 2]]
