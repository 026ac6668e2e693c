"""The results of a classroom: one row per student, one column per round; the gradebook; a
student's history."""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from preguntas.game import homework, kinds, scoring
from preguntas.game.tallies import Confidence, Counts
from preguntas.models import Aula, Respuesta, Ronda, Tarea

# A round with this many answers or more, and within this many points of % right of what
# guessing gets (the kind's chance level: 50 % for true/false, 25 % among four options), is
# flagged: the class did no better than chance.
CHANCE_MIN_ANSWERS = 5
CHANCE_BAND = 10

# A results cell of a poll the student answered: neither right nor wrong.
VOTED = "voted"


@dataclass
class RoundSummary:
    ronda: Ronda
    right: int = 0
    confidence: Confidence = field(default_factory=Confidence)
    previous: "RoundSummary | None" = None  # the first vote, when this round is a second one

    def __post_init__(self):
        self.kind = kinds.of(self.ronda)
        self.counts = Counts(self.ronda)

    @property
    def answered(self) -> int:
        return self.counts.answered

    @property
    def options(self) -> list[tuple[str, int]]:
        """(label, answers) for each option, in order."""
        return [(option.label, self.counts.options[option.key]) for option in self.kind.options(self.ronda)]

    @property
    def spread(self) -> list[dict] | None:
        """A number's answers as histogram bins."""
        return self.counts.spread()

    @property
    def correct_label(self) -> str:
        return self.kind.correct_label(self.ronda)

    @property
    def scored(self) -> bool:
        return self.kind.SCORED

    @property
    def percent_right(self) -> int | None:
        return round(100 * self.right / self.answered) if self.answered and self.scored else None

    @property
    def shift(self) -> int | None:
        """Points of % right gained (or lost) since the first vote."""
        if self.previous is None or self.percent_right is None or self.previous.percent_right is None:
            return None
        return self.percent_right - self.previous.percent_right

    @property
    def near_chance(self) -> bool:
        chance = self.kind.chance(self.ronda)
        if chance is None or self.answered < CHANCE_MIN_ANSWERS:
            return False
        return abs(self.percent_right - 100 * chance) <= CHANCE_BAND

    def count(self, stored, sure: bool | None) -> bool | str:
        """Count one answer; whether it was right (VOTED: a poll's answers are neither)."""
        right = self.kind.is_right(self.ronda, stored)
        self.counts.add(stored)
        self.right += bool(right)
        self.confidence.count(right, sure)
        return VOTED if right is None else right


@dataclass
class StudentRow:
    name: str
    cells: list = field(default_factory=list)  # per round: True (right), False (wrong), VOTED (a poll), None (no answer)
    numero: str = ""  # the student id from the roster, if any
    points: int | None = None  # speed points (scoring.py), when the classroom counts them
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
    """Every round and student, ranked by right answers; with speed points on, each student's
    points over the rounds that count (scoring.py)."""
    rondas = list(aula.rondas.order_by("abierta", "pk"))
    summaries = {r.pk: RoundSummary(r) for r in rondas}
    for summary in summaries.values():
        summary.previous = summaries.get(summary.ronda.anterior_id)
    answers: dict[int, dict[int, bool]] = {}
    for alumno_id, ronda_id, valor, seguro in Respuesta.objects.filter(ronda__aula=aula).values_list(
        "alumno_id", "ronda_id", "valor", "seguro"
    ):
        answers.setdefault(alumno_id, {})[ronda_id] = summaries[ronda_id].count(valor, seguro)
    points = scoring.scores(aula.rondas.que_cuentan(), with_points=True) if aula.puntos_velocidad else {}
    students = [
        StudentRow(
            alumno.nombre,
            [answers.get(alumno.pk, {}).get(r.pk) for r in rondas],
            numero=alumno.numero,
            points=(points[alumno.pk].points if alumno.pk in points else 0) if aula.puntos_velocidad else None,
            alumno_id=alumno.pk,
        )
        for alumno in aula.alumnos.all()
    ]
    students.sort(key=lambda row: (-row.score, row.name.lower()))
    return Results(rounds=list(summaries.values()), students=students, with_points=aula.puntos_velocidad)


def export_rows(results: Results, homework_scores: list[tuple[Tarea, dict[int, int]]] = ()):
    """Rows for the downloads (CSV and spreadsheet): a header, one line per student (1 right,
    0 wrong, None no answer), then the per-round % right. After the rounds, a column per
    homework (``homework_columns``): the right answers of the attempt that counts, None if the
    student never started it."""
    points = ["puntos"] if results.with_points else []
    rounds = [f"R{i}: {s.ronda.texto}" for i, s in enumerate(results.rounds, 1)]
    yield ["alumno", "numero", "aciertos"] + points + rounds + [_homework_heading(t) for t, _s in homework_scores]
    symbol = {True: 1, False: 0, VOTED: None, None: None}  # a poll's answer is not a mark
    for row in results.students:
        yield ([row.name, row.numero, row.score] + ([row.points] if points else []) + [symbol[cell] for cell in row.cells]
               + [scores.get(row.alumno_id) for _t, scores in homework_scores])
    yield (["% aciertos", None, None] + [None] * len(points) + [s.percent_right for s in results.rounds]
           + [None] * len(homework_scores))


def _homework_heading(tarea: Tarea) -> str:
    return f"{tarea.nombre} ({_('tarea')})"


def homework_columns(aula: Aula) -> list[tuple[Tarea, dict[int, int]]]:
    """The classroom's homework, the soonest due first, each with every student's right answers
    in the attempt that counts (for ``export_rows`` and the gradebook)."""
    return [(tarea, _homework_scores(tarea)) for tarea in aula.tareas.order_by("vence", "pk")]


def gradebook_rows(aula: Aula):
    """The gradebook: one row per student, one column per quiz run in the classroom, each cell
    the number of its questions the student got right, over the rounds that count."""
    rondas = list(
        aula.rondas.que_cuentan().filter(cuestionario__isnull=False).select_related("cuestionario").order_by("abierta", "pk")
    )
    quizzes = list(dict.fromkeys(r.cuestionario for r in rondas))
    by_id = {r.pk: r for r in rondas}
    right: dict[tuple[int, int], int] = {}
    for alumno_id, ronda_id, valor in Respuesta.objects.filter(ronda_id__in=by_id).values_list(
        "alumno_id", "ronda_id", "valor"
    ):
        ronda = by_id[ronda_id]
        key = (alumno_id, ronda.cuestionario_id)
        right[key] = right.get(key, 0) + bool(kinds.of(ronda).is_right(ronda, valor))
    homework_scores = homework_columns(aula)
    yield ["alumno", "numero"] + [q.nombre for q in quizzes] + [_homework_heading(t) for t, _s in homework_scores]
    for alumno in aula.alumnos.all():
        yield [alumno.nombre, alumno.numero] + [right.get((alumno.pk, q.pk), 0) for q in quizzes] + [
            scores.get(alumno.pk) for _t, scores in homework_scores
        ]


def _homework_scores(tarea: Tarea) -> dict[int, int]:
    """Each student's right answers in the attempt that counts (none: they never started)."""
    return {
        alumno_id: sum(1 for r in answers.values() if r.correcta)
        for alumno_id, answers in homework.counted_answers(tarea).items()
    }


@dataclass
class HomeworkRow:
    row: homework.ProgressRow
    cells: list  # per question, as in the classroom's results: True, False, VOTED, None


@dataclass
class HomeworkResults:
    tarea: Tarea
    questions: list[RoundSummary]
    students: list[HomeworkRow]


def homework_results(tarea: Tarea) -> HomeworkResults:
    """A homework's results: per question, the answers of the attempts that count, added up as a
    round's are; per student, progress and a cell per question (in the quiz's order)."""
    preguntas = list(tarea.preguntas.order_by("orden", "pk"))
    summaries = [RoundSummary(p) for p in preguntas]
    answers = homework.counted_answers(tarea)
    students = []
    for row in homework.progress(tarea):
        mine = answers.get(row.alumno.pk, {})
        cells = []
        for pregunta, summary in zip(preguntas, summaries):
            respuesta = mine.get(pregunta.pk)
            if respuesta is None:
                cells.append(None)
            elif respuesta.valor is None:  # the time ran out
                cells.append(False if summary.scored else None)
            else:
                cells.append(summary.count(respuesta.valor, respuesta.seguro))
        students.append(HomeworkRow(row, cells))
    return HomeworkResults(tarea, summaries, students)


@dataclass
class HistoryRow:
    ronda: Ronda
    valor: object  # the student's stored answer; None if they did not answer
    seguro: bool | None

    @property
    def right(self) -> bool | None:
        return None if self.valor is None else kinds.of(self.ronda).is_right(self.ronda, self.valor)

    @property
    def mark(self) -> bool | str | None:
        """As a results cell: right, wrong, VOTED (a poll) or None (no answer)."""
        right = self.right
        return VOTED if self.valor is not None and right is None else right

    @property
    def answer_label(self) -> str | None:
        return None if self.valor is None else kinds.of(self.ronda).label(self.ronda, self.valor)

    @property
    def correct_label(self) -> str:
        return kinds.of(self.ronda).correct_label(self.ronda)


def student_history(alumno) -> list[tuple[object, list[HistoryRow]]]:
    """Every round of the student's classroom since they joined, with their answer, by day."""
    answers = {r: (v, s) for r, v, s in alumno.respuestas.values_list("ronda_id", "valor", "seguro")}
    days: dict = {}
    for ronda in alumno.aula.rondas.filter(abierta__gte=alumno.creado).order_by("abierta", "pk"):
        valor, seguro = answers.get(ronda.pk, (None, None))
        day = timezone.localdate(ronda.abierta)
        days.setdefault(day, []).append(HistoryRow(ronda, valor, seguro))
    return list(days.items())


@dataclass
class HomeworkHistory:
    tarea: Tarea
    rows: list[HistoryRow]  # the attempt that counts, question by question ("ronda" is the homework's question)
    revealed: bool


def student_homework(alumno) -> list[HomeworkHistory]:
    """The homework of the student's classroom they started, with the answers of the attempt that counts."""
    found = []
    for tarea in alumno.aula.tareas.filter(intentos_hechos__alumno=alumno).distinct().order_by("vence", "pk"):
        mine = homework.counted_answers(tarea).get(alumno.pk, {})
        rows = [
            HistoryRow(p, mine[p.pk].valor if p.pk in mine else None, mine[p.pk].seguro if p.pk in mine else None)
            for p in tarea.preguntas.order_by("orden", "pk")
        ]
        found.append(HomeworkHistory(tarea, rows, homework.may_reveal(tarea)))
    return found
