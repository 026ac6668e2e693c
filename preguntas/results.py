"""The results of a classroom: one row per student, one column per round."""

from dataclasses import dataclass, field

from preguntas.models import Aula, Respuesta, Ronda


@dataclass
class RoundSummary:
    ronda: Ronda
    true: int = 0
    false: int = 0
    right: int = 0

    @property
    def answered(self) -> int:
        return self.true + self.false

    @property
    def percent_right(self) -> int | None:
        return round(100 * self.right / self.answered) if self.answered else None


@dataclass
class StudentRow:
    name: str
    cells: list = field(default_factory=list)  # per round: True (right), False (wrong), None (no answer)

    @property
    def score(self) -> int:
        return sum(1 for cell in self.cells if cell is True)


@dataclass
class Results:
    rounds: list[RoundSummary]
    students: list[StudentRow]


def classroom_results(aula: Aula) -> Results:
    rondas = list(aula.rondas.order_by("abierta", "pk"))
    summaries = {r.pk: RoundSummary(r) for r in rondas}
    answers: dict[int, dict[int, bool]] = {}
    for alumno_id, ronda_id, valor in Respuesta.objects.filter(ronda__aula=aula).values_list(
        "alumno_id", "ronda_id", "valor"
    ):
        summary = summaries[ronda_id]
        right = valor == summary.ronda.correcta
        summary.true += valor
        summary.false += not valor
        summary.right += right
        answers.setdefault(alumno_id, {})[ronda_id] = right
    students = [
        StudentRow(alumno.nombre, [answers.get(alumno.pk, {}).get(r.pk) for r in rondas])
        for alumno in aula.alumnos.all()
    ]
    students.sort(key=lambda row: (-row.score, row.name.lower()))
    return Results(rounds=list(summaries.values()), students=students)


def _text_cell(text: str) -> str:
    """Keep spreadsheets from reading a name or question as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_rows(results: Results):
    """Rows for the CSV export: a header, one line per student, then the per-round totals."""
    yield ["alumno", "aciertos"] + [_text_cell(f"R{i}: {s.ronda.texto}") for i, s in enumerate(results.rounds, 1)]
    symbol = {True: "1", False: "0", None: ""}
    for row in results.students:
        yield [_text_cell(row.name), row.score] + [symbol[cell] for cell in row.cells]
    yield ["% aciertos", ""] + ["" if s.percent_right is None else s.percent_right for s in results.rounds]
