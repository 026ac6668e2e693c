"""The results of a classroom: one row per student, one column per round."""

from dataclasses import dataclass, field

from django.utils import timezone

from preguntas import scores
from preguntas.models import Aula, Respuesta, Ronda


# A round with this many answers or more, and between these shares right, is flagged:
# the class did no better than a coin.
CHANCE_MIN_ANSWERS = 5
CHANCE_BAND = (40, 60)


@dataclass
class RoundSummary:
    ronda: Ronda
    true: int = 0
    false: int = 0
    right: int = 0
    # Confidence, for the answers whose student said it: right/wrong × sure/unsure.
    right_sure: int = 0
    right_unsure: int = 0
    wrong_sure: int = 0
    wrong_unsure: int = 0
    previous: "RoundSummary | None" = None  # the first vote, when this round is a second one

    @property
    def answered(self) -> int:
        return self.true + self.false

    @property
    def percent_right(self) -> int | None:
        return round(100 * self.right / self.answered) if self.answered else None

    @property
    def shift(self) -> int | None:
        """Points of % right gained (or lost) since the first vote."""
        if self.previous is None or self.percent_right is None or self.previous.percent_right is None:
            return None
        return self.percent_right - self.previous.percent_right

    @property
    def near_chance(self) -> bool:
        low, high = CHANCE_BAND
        return self.answered >= CHANCE_MIN_ANSWERS and low <= self.percent_right <= high

    @property
    def with_confidence(self) -> bool:
        return bool(self.right_sure + self.right_unsure + self.wrong_sure + self.wrong_unsure)

    def count(self, valor: bool, seguro: bool | None) -> None:
        right = valor == self.ronda.correcta
        self.true += valor
        self.false += not valor
        self.right += right
        if seguro is not None:
            field = f"{'right' if right else 'wrong'}_{'sure' if seguro else 'unsure'}"
            setattr(self, field, getattr(self, field) + 1)


@dataclass
class StudentRow:
    name: str
    cells: list = field(default_factory=list)  # per round: True (right), False (wrong), None (no answer)
    numero: str = ""  # the student id from the roster, if any
    points: int | None = None  # speed points (scores.py), when the classroom counts them
    alumno_id: int | None = None

    @property
    def score(self) -> int:
        return sum(1 for cell in self.cells if cell is True)


@dataclass
class Results:
    rounds: list[RoundSummary]
    students: list[StudentRow]
    with_points: bool = False


def classroom_results(aula: Aula) -> Results:
    """Every round and student; with speed points on, each student's points over every round
    that counts (a first vote voted again does not), ranked by right answers all the same."""
    rondas = list(aula.rondas.order_by("abierta", "pk"))
    summaries = {r.pk: RoundSummary(r) for r in rondas}
    for summary in summaries.values():
        summary.previous = summaries.get(summary.ronda.anterior_id)
    voted_again = {r.anterior_id for r in rondas if r.anterior_id}
    answers: dict[int, dict[int, bool]] = {}
    points: dict[int, int] = {}
    for alumno_id, ronda_id, valor, seguro, recibida, extra in Respuesta.objects.filter(ronda__aula=aula).values_list(
        "alumno_id", "ronda_id", "valor", "seguro", "recibida", "alumno__tiempo_extra"
    ):
        summary = summaries[ronda_id]
        summary.count(valor, seguro)
        right = valor == summary.ronda.correcta
        answers.setdefault(alumno_id, {})[ronda_id] = right
        if right and ronda_id not in voted_again:
            points[alumno_id] = points.get(alumno_id, 0) + scores.points(summary.ronda, recibida, extra)
    students = [
        StudentRow(
            alumno.nombre,
            [answers.get(alumno.pk, {}).get(r.pk) for r in rondas],
            numero=alumno.numero,
            points=points.get(alumno.pk, 0) if aula.puntos_velocidad else None,
            alumno_id=alumno.pk,
        )
        for alumno in aula.alumnos.all()
    ]
    students.sort(key=lambda row: (-row.score, row.name.lower()))
    return Results(rounds=list(summaries.values()), students=students, with_points=aula.puntos_velocidad)


def _text_cell(text: str) -> str:
    """Keep spreadsheets from reading a name or question as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_rows(results: Results):
    """Rows for the CSV export: a header, one line per student, then the per-round totals."""
    points = ["puntos"] if results.with_points else []
    rounds = [_text_cell(f"R{i}: {s.ronda.texto}") for i, s in enumerate(results.rounds, 1)]
    yield ["alumno", "numero", "aciertos"] + points + rounds
    symbol = {True: "1", False: "0", None: ""}
    for row in results.students:
        yield [_text_cell(row.name), _text_cell(row.numero), row.score] + ([row.points] if points else []) + [
            symbol[cell] for cell in row.cells
        ]
    yield ["% aciertos", "", ""] + [""] * len(points) + [
        "" if s.percent_right is None else s.percent_right for s in results.rounds
    ]


def gradebook_rows(aula: Aula):
    """The gradebook: one row per student, one column per quiz run in the classroom, each cell
    the number of its questions the student got right (on a second vote, the second counts)."""
    rondas = [r for r in aula.rondas.filter(cuestionario__isnull=False).select_related("cuestionario")
              .order_by("abierta", "pk") if not r.revotaciones.exists()]
    quizzes = list(dict.fromkeys(r.cuestionario for r in rondas))
    quiz_of = {r.pk: r.cuestionario_id for r in rondas}
    right: dict[tuple[int, int], int] = {}
    for alumno_id, ronda_id, valor, correcta in Respuesta.objects.filter(ronda_id__in=quiz_of).values_list(
        "alumno_id", "ronda_id", "valor", "ronda__correcta"
    ):
        key = (alumno_id, quiz_of[ronda_id])
        right[key] = right.get(key, 0) + (valor == correcta)
    yield ["alumno", "numero"] + [_text_cell(q.nombre) for q in quizzes]
    for alumno in aula.alumnos.all():
        yield [_text_cell(alumno.nombre), _text_cell(alumno.numero)] + [right.get((alumno.pk, q.pk), 0) for q in quizzes]


@dataclass
class HistoryRow:
    ronda: Ronda
    valor: bool | None  # the student's answer; None if they did not answer
    seguro: bool | None

    @property
    def right(self) -> bool | None:
        return None if self.valor is None else self.valor == self.ronda.correcta


def student_history(alumno) -> list[tuple[object, list[HistoryRow]]]:
    """Every round of the student's classroom since they joined, with their answer, by day."""
    answers = {r: (v, s) for r, v, s in alumno.respuestas.values_list("ronda_id", "valor", "seguro")}
    days: dict = {}
    for ronda in alumno.aula.rondas.filter(abierta__gte=alumno.creado).order_by("abierta", "pk"):
        valor, seguro = answers.get(ronda.pk, (None, None))
        day = timezone.localdate(ronda.abierta)
        days.setdefault(day, []).append(HistoryRow(ronda, valor, seguro))
    return list(days.items())
