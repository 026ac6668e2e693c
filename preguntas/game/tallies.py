"""How a round's answers add up: counts per option, who answered, right or wrong, how sure."""

from dataclasses import dataclass

from django.db.models import Count

from preguntas.game import kinds
from preguntas.models import Aula, Conexion, Respuesta, Ronda


class Counts:
    """A round's answers added up as its kind counts them: per option, and for a number the
    answers themselves (their spread is drawn as a histogram)."""

    def __init__(self, ronda: Ronda | None):
        self.ronda = ronda
        self.kind = kinds.of(ronda) if ronda else kinds.get(kinds.DEFAULT)
        self.answered = 0
        self.options = dict.fromkeys((option.key for option in self.kind.options(ronda)), 0)
        self.values: list = []
        self.keeps_values = self.kind.spread(ronda, []) is not None if ronda else False

    def add(self, stored, n: int = 1) -> None:
        self.answered += n
        for key in self.kind.keys(stored):
            self.options[key] += n
        if self.keeps_values:
            self.values.extend([stored] * n)

    def spread(self) -> list[dict] | None:
        return self.kind.spread(self.ronda, self.values) if self.ronda else None


def counts(ronda: Ronda) -> Counts:
    """A round's answers so far."""
    result = Counts(ronda)
    for stored, n in Respuesta.objects.filter(ronda=ronda).order_by().values_list("valor").annotate(n=Count("pk")):
        result.add(stored, n)
    return result


class Running:
    """A round's counts kept in memory by a teacher's socket: read once from the database, then
    added to answer by answer as each batch of answers is stored. A student counts once, so an
    answer both read and reported afterwards is not counted twice."""

    def __init__(self, ronda: Ronda | None):
        self.counts = Counts(ronda)
        self.students: set[int] = set()

    def add(self, alumno_id: int, stored) -> None:
        if alumno_id not in self.students:
            self.students.add(alumno_id)
            self.counts.add(stored)


def running(ronda: Ronda | None) -> Running:
    """A round's answers so far, by student, to keep counting in memory."""
    result = Running(ronda)
    if ronda is not None:
        for alumno_id, stored in Respuesta.objects.filter(ronda=ronda).order_by().values_list("alumno_id", "valor"):
            result.add(alumno_id, stored)
    return result


def answered(ronda: Ronda) -> int:
    """How many students have answered a round, as the database says."""
    return Respuesta.objects.filter(ronda=ronda).count()


def connected_count(aula: Aula) -> int:
    """Students of the classroom with at least one open socket."""
    return aula.alumnos.conectados().count()


class Presence:
    """A classroom's open sockets kept in memory by a teacher's socket: read once from the
    database, then followed as sockets open and close (each by its connection's id, so that
    hearing of one twice changes nothing). A student with at least one counts as connected,
    as ``connected_count`` counts them."""

    def __init__(self, conexiones=()):
        self.conexiones: dict[int, int] = dict(conexiones)  # connection id -> student id

    def follow(self, opened=(), closed=()) -> None:
        """Sockets opened (connection id, student id) and closed (connection id)."""
        self.conexiones.update((conexion_id, alumno_id) for conexion_id, alumno_id in opened)
        for conexion_id in closed:
            self.conexiones.pop(conexion_id, None)

    @property
    def students(self) -> set[int]:
        """The students connected."""
        return set(self.conexiones.values())

    @property
    def connected(self) -> int:
        return len(self.students)


def presence(aula: Aula) -> Presence:
    """The classroom's open sockets of live processes, to follow in memory."""
    return Presence(Conexion.objects.vivas().filter(alumno__aula=aula).values_list("pk", "alumno_id"))


@dataclass
class Tally:
    round_id: int | None
    counts: Counts
    connected: int

    @property
    def answered(self) -> int:
        return self.counts.answered


def tally(aula: Aula, ronda: Ronda | None, connected: int | None = None) -> Tally:
    """A round's counts so far, and how many students are connected (counted, unless given)."""
    if connected is None:
        connected = connected_count(aula)
    return Tally(ronda.pk if ronda else None, counts(ronda) if ronda else Counts(None), connected)


@dataclass
class StudentStatus:
    id: int
    name: str
    online: bool
    answer: object = None  # the stored answer to the round, None if none
    sure: bool | None = None


def roster(aula: Aula, ronda: Ronda | None, online: set[int] | None = None) -> list[StudentStatus]:
    """Every student of the classroom, whether connected (as the database says, unless the
    students connected are given), and their answer to the round."""
    answers = {}
    if ronda is not None:
        answers = {a: (v, s) for a, v, s in ronda.respuestas.values_list("alumno_id", "valor", "seguro")}
    if online is None:
        students = aula.alumnos.en_clase().con_presencia().values_list("pk", "nombre", "online")
    else:
        students = [(pk, name, pk in online) for pk, name in aula.alumnos.en_clase().values_list("pk", "nombre")]
    return [StudentStatus(pk, name, on, *answers.get(pk, (None, None))) for pk, name, on in students]


@dataclass
class Confidence:
    """Answers whose student said how sure they were: right/wrong × sure/unsure."""

    right_sure: int = 0
    right_unsure: int = 0
    wrong_sure: int = 0
    wrong_unsure: int = 0

    def count(self, right: bool | None, sure: bool | None) -> None:
        """Count one answer (``right`` None: its kind has no right answer, and it is not counted)."""
        if sure is not None and right is not None:
            name = f"{'right' if right else 'wrong'}_{'sure' if sure else 'unsure'}"
            setattr(self, name, getattr(self, name) + 1)

    def __bool__(self) -> bool:
        return bool(self.right_sure + self.right_unsure + self.wrong_sure + self.wrong_unsure)


@dataclass
class Outcome:
    """A closed round, answer by answer: each student's answer and whether it was right."""

    ronda: Ronda
    answers: dict[int, tuple[object, bool | None]]  # student id -> (stored answer, right; None in a poll)
    counts: Counts
    confidence: Confidence


def own_outcome(ronda: Ronda, alumno_id: int) -> tuple[object, bool | None] | None:
    """One student's answer to a closed round and whether it was right; None if they did not answer."""
    stored = ronda.respuestas.filter(alumno_id=alumno_id).values_list("valor", flat=True).first()
    return None if stored is None else (stored, kinds.of(ronda).is_right(ronda, stored))


def outcome(ronda: Ronda) -> Outcome:
    kind = kinds.of(ronda)
    result = Outcome(ronda, {}, Counts(ronda), Confidence())
    for alumno_id, stored, sure in ronda.respuestas.values_list("alumno_id", "valor", "seguro"):
        right = kind.is_right(ronda, stored)
        result.answers[alumno_id] = (stored, right)
        result.counts.add(stored)
        result.confidence.count(right, sure)
    return result
