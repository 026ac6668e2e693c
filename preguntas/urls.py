from django.urls import path

from preguntas.views import bank, classrooms, quizzes, results, students

app_name = "preguntas"

urlpatterns = [
    path("", classrooms.alumno, name="alumno"),
    path("unirse/<str:codigo>/", classrooms.alumno, name="alumno_codigo"),
    path("aulas/", classrooms.aulas, name="aulas"),
    path("aulas/<str:codigo>/", classrooms.panel, name="panel"),
    path("aulas/<str:codigo>/editar/", classrooms.aula_editar, name="aula_editar"),
    path("aulas/<str:codigo>/archivar/", classrooms.aula_archivar, name="aula_archivar"),
    path("aulas/<str:codigo>/proyector/", classrooms.proyector, name="proyector"),
    path("aulas/<str:codigo>/resultados/", results.resultados, name="resultados"),
    path("aulas/<str:codigo>/resultados.csv", results.resultados_csv, name="resultados_csv"),
    path("aulas/<str:codigo>/cuaderno.csv", results.cuaderno_csv, name="cuaderno_csv"),
    path("aulas/<str:codigo>/alumnos/", students.alumnos, name="alumnos"),
    path("aulas/<str:codigo>/alumnos/importar/", students.importar_lista, name="importar_lista"),
    path("aulas/<str:codigo>/alumnos/<int:pk>/", students.alumno_historial, name="alumno_historial"),
    path("aulas/<str:codigo>/alumnos/<int:pk>/tiempo/", students.alumno_tiempo, name="alumno_tiempo"),
    path("aulas/<str:codigo>/alumnos/<int:pk>/liberar/", students.alumno_liberar, name="alumno_liberar"),
    path("aulas/<str:codigo>/alumnos/<int:pk>/quitar/", students.alumno_quitar, name="alumno_quitar"),
    path("aulas/<str:codigo>/lista.csv", students.lista_csv, name="lista_csv"),
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
]
