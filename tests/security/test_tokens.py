"""Rejoin tokens: unguessable, exact, bound to one classroom (docs/security.md).

A token is a bearer secret: whoever holds it is that student in that classroom. These
tests check that it cannot be guessed, forged from a near miss, or carried to another
classroom to answer there.
"""

import math
import string
from collections import Counter

import pytest
from channels.db import database_sync_to_async

from preguntas.models import Alumno, Respuesta, new_token
from tests.factories import AulaFactory, PreguntaFactory
from tests.sockets import open_socket, receive, receive_type, send, student, teacher

pytestmark = pytest.mark.django_db(transaction=True)

URLSAFE = set(string.ascii_letters + string.digits + "-_")


def test_tokens_are_long_random_and_unrelated():
    tokens = [new_token() for _ in range(2000)]
    assert len(set(tokens)) == len(tokens)
    assert all(len(token) >= 32 and set(token) <= URLSAFE for token in tokens)
    # At least 128 bits: 32 characters of a 64-letter alphabet carry 192.
    assert min(len(token) for token in tokens) * math.log2(len(URLSAFE)) >= 128
    # Every position is spread over the whole alphabet (no counter, no timestamp, no prefix).
    counts = Counter("".join(tokens))
    entropy = -sum(n / sum(counts.values()) * math.log2(n / sum(counts.values())) for n in counts.values())
    assert entropy > 5.9  # bits per character; 6 is the most a 64-letter alphabet gives
    for position in range(32):
        assert len({token[position] for token in tokens}) > 56, f"position {position} is predictable"
    prefixes = Counter(token[:4] for token in tokens)
    assert prefixes.most_common(1)[0][1] <= 3


async def test_the_same_name_gets_unrelated_tokens_in_every_classroom(aula):
    other = await database_sync_to_async(AulaFactory)()
    first, a, _ = await student(aula.codigo, "Ana")
    second, b, _ = await student(other.codigo, "Ana")
    assert a["token"] != b["token"]
    assert sum(x == y for x, y in zip(a["token"], b["token"])) < 8
    await first.disconnect()
    await second.disconnect()


async def test_near_misses_and_injections_of_a_real_token_are_refused(aula):
    real_socket, joined, _ = await student(aula.codigo, "Ana")
    await real_socket.disconnect()
    token = joined["token"]
    forgeries = {
        "not_found": [
            token[:-1],
            token + "A",
            token.swapcase(),
            " " + token,
            token + " ",
            token[:16],
            token.replace(token[0], "-" if token[0] != "-" else "_"),
            "%",
            "_" * len(token),
            "' OR '1'='1",
            token + "' OR '1'='1",
            "*",
            "x" * 64,
            "x" * 65,
            "x" * 3000,
        ],
        "invalid": ["", None, 0, 1, True, [token], {"$ne": None}, {"token": token}],
    }
    for code, values in forgeries.items():
        for value in values:
            socket = await open_socket(aula.codigo)
            await send(socket, {"type": "join", "token": value})
            frame = await receive(socket)
            assert (frame["type"], frame.get("code")) == ("error", code), (value, frame)
            await socket.disconnect()
    # The real one still works, and nobody else joined along the way.
    socket = await open_socket(aula.codigo)
    await send(socket, {"type": "join", "token": token})
    assert (await receive(socket))["student"] == joined["student"]
    assert await database_sync_to_async(Alumno.objects.count)() == 1
    await socket.disconnect()


async def test_a_stolen_token_cannot_answer_in_another_classroom(aula, alice, bob, pregunta):
    """Ana belongs to alice's classroom; her token is carried into bob's, where a round is open."""
    bobs_aula = await database_sync_to_async(AulaFactory)(propietario=bob)
    bobs_question = await database_sync_to_async(PreguntaFactory)(propietario=bob)
    bob_socket, _ = await teacher(bobs_aula.codigo, bob)
    await send(bob_socket, {"type": "push", "question": bobs_question.pk})
    bobs_round = (await receive_type(bob_socket, "question"))["round"]
    alice_socket, _ = await teacher(aula.codigo, alice)
    await send(alice_socket, {"type": "push", "question": pregunta.pk})
    alices_round = (await receive_type(alice_socket, "question"))["round"]
    ana, joined, _ = await student(aula.codigo, "Ana")

    intruder = await open_socket(bobs_aula.codigo)
    await send(intruder, {"type": "join", "token": joined["token"]})
    assert (await receive(intruder))["code"] == "not_found"
    for round_id in (bobs_round, alices_round):
        await send(intruder, {"type": "answer", "round": round_id, "value": True})
        assert (await receive(intruder))["code"] == "not_joined"
    # From her own classroom's socket, bob's round does not exist either.
    await send(ana, {"type": "answer", "round": bobs_round, "value": True})
    assert (await receive(ana))["code"] == "not_found"
    await send(ana, {"type": "answer", "round": alices_round, "value": False})
    assert (await receive(ana))["type"] == "answered"

    stored = await database_sync_to_async(lambda: list(Respuesta.objects.values_list("ronda_id", "valor")))()
    assert stored == [(alices_round, False)]
    assert await database_sync_to_async(lambda: Alumno.objects.filter(aula=bobs_aula).count())() == 0
    for socket in (intruder, ana, alice_socket, bob_socket):
        await socket.disconnect()


async def test_a_token_is_only_ever_sent_to_its_own_socket(aula, alice):
    teacher_socket, _ = await teacher(aula.codigo, alice)
    ana, ana_joined, _ = await student(aula.codigo, "Ana")
    beto, beto_joined, _ = await student(aula.codigo, "Beto")
    roster = await receive_type(teacher_socket, "roster")
    while len(roster["students"]) < 2:
        roster = await receive_type(teacher_socket, "roster")
    assert ana_joined["token"] not in str(roster) and beto_joined["token"] not in str(roster)
    await send(ana, {"type": "ping"})
    assert await receive(ana) == {"type": "pong"}
    assert await beto.receive_nothing(timeout=0.2)
    for socket in (teacher_socket, ana, beto):
        await socket.disconnect()
