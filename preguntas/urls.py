from django.urls import path

from preguntas import views, views_alumnos, views_banco, views_cuestionarios

app_name = "preguntas"

urlpatterns = [
    path("", views.alumno, name="alumno"),
    path("unirse/<str:codigo>/", views.alumno, name="alumno_codigo"),
    path("aulas/", views.aulas, name="aulas"),
    path("aulas/<str:codigo>/", views.panel, name="panel"),
    path("aulas/<str:codigo>/editar/", views.aula_editar, name="aula_editar"),
    path("aulas/<str:codigo>/archivar/", views.aula_archivar, name="aula_archivar"),
    path("aulas/<str:codigo>/proyector/", views.proyector, name="proyector"),
    path("aulas/<str:codigo>/resultados/", views.resultados, name="resultados"),
    path("aulas/<str:codigo>/resultados.csv", views.resultados_csv, name="resultados_csv"),
    path("aulas/<str:codigo>/cuaderno.csv", views.cuaderno_csv, name="cuaderno_csv"),
    path("aulas/<str:codigo>/alumnos/", views_alumnos.alumnos, name="alumnos"),
    path("aulas/<str:codigo>/alumnos/importar/", views_alumnos.importar_lista, name="importar_lista"),
    path("aulas/<str:codigo>/alumnos/<int:pk>/", views_alumnos.alumno_historial, name="alumno_historial"),
    path("aulas/<str:codigo>/alumnos/<int:pk>/tiempo/", views_alumnos.alumno_tiempo, name="alumno_tiempo"),
    path("aulas/<str:codigo>/alumnos/<int:pk>/liberar/", views_alumnos.alumno_liberar, name="alumno_liberar"),
    path("aulas/<str:codigo>/alumnos/<int:pk>/quitar/", views_alumnos.alumno_quitar, name="alumno_quitar"),
    path("aulas/<str:codigo>/lista.csv", views_alumnos.lista_csv, name="lista_csv"),
    path("lista-plantilla.csv", views_alumnos.lista_plantilla_csv, name="lista_plantilla_csv"),
    path("cuestionarios/", views_cuestionarios.cuestionarios, name="cuestionarios"),
    path("cuestionarios/<int:pk>/", views_cuestionarios.cuestionario, name="cuestionario"),
    path("cuestionarios/<int:pk>/editar/", views_cuestionarios.cuestionario_editar, name="cuestionario_editar"),
    path("preguntas/", views.preguntas, name="preguntas"),
    path("preguntas/nueva/", views.pregunta_editar, name="pregunta_nueva"),
    path("preguntas/<int:pk>/editar/", views.pregunta_editar, name="pregunta_editar"),
    path("preguntas/importar/", views_banco.importar, name="importar"),
    path("preguntas/plantilla.csv", views_banco.plantilla_csv, name="plantilla_csv"),
    path("preguntas/exportar.csv", views_banco.exportar_csv, name="exportar_csv"),
]
