from django.contrib import admin

from preguntas.models import Alumno, Aula, Cuestionario, CuestionarioPregunta, Pregunta, Respuesta, Ronda


@admin.register(Pregunta)
class PreguntaAdmin(admin.ModelAdmin):
    list_display = ["texto", "respuesta", "tema", "propietario", "actualizada"]
    list_filter = ["tema", "respuesta", "propietario"]
    search_fields = ["texto", "tema"]


class RondaInline(admin.TabularInline):
    model = Ronda
    fields = ["texto", "correcta", "abierta", "limite", "cierre", "cerrada"]
    readonly_fields = fields
    extra = 0
    show_change_link = True
    can_delete = False


class AlumnoInline(admin.TabularInline):
    model = Alumno
    fields = ["nombre", "numero", "en_lista", "tiempo_extra", "reclamado", "creado"]
    readonly_fields = ["creado"]
    extra = 0


@admin.register(Aula)
class AulaAdmin(admin.ModelAdmin):
    list_display = ["nombre", "codigo", "propietario", "clasificacion", "puntos_velocidad", "archivada", "creada"]
    list_filter = ["archivada", "clasificacion", "puntos_velocidad", "propietario"]
    search_fields = ["nombre", "codigo"]
    inlines = [AlumnoInline, RondaInline]


class RespuestaInline(admin.TabularInline):
    model = Respuesta
    fields = ["alumno", "valor", "recibida"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Ronda)
class RondaAdmin(admin.ModelAdmin):
    list_display = ["texto", "aula", "correcta", "abierta", "cerrada"]
    list_filter = ["aula"]
    search_fields = ["texto", "aula__nombre", "aula__codigo"]
    inlines = [RespuestaInline]


@admin.register(Respuesta)
class RespuestaAdmin(admin.ModelAdmin):
    list_display = ["alumno", "ronda", "valor", "recibida"]
    list_filter = ["valor", "ronda__aula"]
    search_fields = ["alumno__nombre", "ronda__texto"]
    list_select_related = ["alumno", "ronda"]


@admin.register(Alumno)
class AlumnoAdmin(admin.ModelAdmin):
    list_display = ["nombre", "numero", "aula", "en_lista", "tiempo_extra", "reclamado", "creado"]
    list_filter = ["en_lista", "tiempo_extra", "aula"]
    search_fields = ["nombre", "numero"]
    exclude = ["token"]


class CuestionarioPreguntaInline(admin.TabularInline):
    model = CuestionarioPregunta
    fields = ["orden", "pregunta"]
    autocomplete_fields = ["pregunta"]
    extra = 0


@admin.register(Cuestionario)
class CuestionarioAdmin(admin.ModelAdmin):
    list_display = ["nombre", "propietario", "creado"]
    list_filter = ["propietario"]
    search_fields = ["nombre"]
    inlines = [CuestionarioPreguntaInline]
