from django.urls import path, register_converter

from preguntas.models import CODE_PATTERN
from preguntas.views import bank, classrooms, homework, quizzes, results, students


class CodigoConverter:
    """A classroom code in an address: letters and digits, in any case, no longer than the field.
    Anything else is no classroom: a 404 before any view or query."""

    regex = CODE_PATTERN

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(CodigoConverter, "codigo")

app_name = "preguntas"

urlpatterns = [
    path("", classrooms.alumno, name="alumno"),
    path("unirse/<codigo:codigo>/", classrooms.alumno, name="alumno_codigo"),
    path("unirse/<codigo:codigo>/tareas/<int:pk>/", homework.tarea_alumno, name="tarea_alumno"),
    path("unirse/<codigo:codigo>/tareas/<int:pk>/unirse/", homework.tarea_unirse, name="tarea_unirse"),
    path("unirse/<codigo:codigo>/tareas/<int:pk>/empezar/", homework.tarea_empezar, name="tarea_empezar"),
    path("unirse/<codigo:codigo>/tareas/<int:pk>/responder/", homework.tarea_responder, name="tarea_responder"),
    path("aulas/", classrooms.aulas, name="aulas"),
    path("aulas/<codigo:codigo>/", classrooms.panel, name="panel"),
    path("aulas/<codigo:codigo>/editar/", classrooms.aula_editar, name="aula_editar"),
    path("aulas/<codigo:codigo>/archivar/", classrooms.aula_archivar, name="aula_archivar"),
    path("aulas/<codigo:codigo>/proyector/", classrooms.proyector, name="proyector"),
    path("aulas/<codigo:codigo>/resultados/", results.resultados, name="resultados"),
    path("aulas/<codigo:codigo>/resultados.csv", results.resultados_csv, name="resultados_csv"),
    path("aulas/<codigo:codigo>/cuaderno.csv", results.cuaderno_csv, name="cuaderno_csv"),
    path("aulas/<codigo:codigo>/resultados.xlsx", results.resultados_xlsx, name="resultados_xlsx"),
    path("aulas/<codigo:codigo>/cuaderno.xlsx", results.cuaderno_xlsx, name="cuaderno_xlsx"),
    path("aulas/<codigo:codigo>/tareas/", homework.tareas, name="tareas"),
    path("aulas/<codigo:codigo>/tareas/<int:pk>/", homework.tarea, name="tarea"),
    path("aulas/<codigo:codigo>/tareas/<int:pk>/progreso.json", homework.tarea_progreso, name="tarea_progreso"),
    path("aulas/<codigo:codigo>/tareas/<int:pk>/plazo/", homework.tarea_plazo, name="tarea_plazo"),
    path("aulas/<codigo:codigo>/tareas/<int:pk>/borrar/", homework.tarea_borrar, name="tarea_borrar"),
    path("aulas/<codigo:codigo>/alumnos/", students.alumnos, name="alumnos"),
    path("aulas/<codigo:codigo>/alumnos/importar/", students.importar_lista, name="importar_lista"),
    path("aulas/<codigo:codigo>/alumnos/<int:pk>/", students.alumno_historial, name="alumno_historial"),
    path("aulas/<codigo:codigo>/alumnos/<int:pk>/tiempo/", students.alumno_tiempo, name="alumno_tiempo"),
    path("aulas/<codigo:codigo>/alumnos/<int:pk>/liberar/", students.alumno_liberar, name="alumno_liberar"),
    path("aulas/<codigo:codigo>/alumnos/<int:pk>/quitar/", students.alumno_quitar, name="alumno_quitar"),
    path("aulas/<codigo:codigo>/lista.csv", students.lista_csv, name="lista_csv"),
    path("lista-plantilla.csv", students.lista_plantilla_csv, name="lista_plantilla_csv"),
    path("cuestionarios/", quizzes.cuestionarios, name="cuestionarios"),
    path("cuestionarios/<int:pk>/", quizzes.cuestionario, name="cuestionario"),
    path("cuestionarios/<int:pk>/editar/", quizzes.cuestionario_editar, name="cuestionario_editar"),
    path("preguntas/", bank.preguntas, name="preguntas"),
    path("preguntas/nueva/", bank.pregunta_editar, name="pregunta_nueva"),
    path("preguntas/<int:pk>/editar/", bank.pregunta_editar, name="pregunta_editar"),
    path("preguntas/<int:pk>/copiar/", bank.pregunta_copiar, name="pregunta_copiar"),
    path("preguntas/borrar/", bank.preguntas_borrar, name="preguntas_borrar"),
    path("preguntas/importar/", bank.importar, name="importar"),
    path("preguntas/plantilla.csv", bank.plantilla_csv, name="plantilla_csv"),
    path("preguntas/exportar.csv", bank.exportar_csv, name="exportar_csv"),
    path("preguntas/exportar/<slug:formato>/", bank.exportar, name="exportar"),
]
