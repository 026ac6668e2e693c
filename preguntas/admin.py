from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminFileWidget
from django.utils.translation import gettext_lazy as _

from preguntas import images
from preguntas.forms import QuestionChecks
from preguntas.game import kinds
from preguntas.models import (
    Alumno, Aula, Cuestionario, CuestionarioPregunta, Intento, Pregunta, Respuesta, RespuestaTarea, Ronda, Tarea,
    TareaPregunta,
)


@admin.display(description=_("respuesta correcta"))
def respuesta_correcta(ronda: Ronda) -> str:
    """A round's right answer, as its kind reads it."""
    return kinds.of(ronda).correct_label(ronda)


@admin.display(description=_("respuesta"))
def respuesta(answer: Respuesta) -> str:
    """An answer, as its round's kind reads it."""
    return kinds.of(answer.ronda).label(answer.ronda, answer.valor)


class PreguntaAdminForm(QuestionChecks, forms.ModelForm):
    """The editor's checks (preguntas/forms.py), with the options as their stored JSON."""

    imagen = forms.FileField(
        label=_("imagen"), required=False, widget=AdminFileWidget(attrs={"accept": images.ACCEPT}),
        help_text=_("JPEG, PNG, WebP o GIF, hasta 5 MB: se guarda reducida, como WebP y sin metadatos."),
    )

    class Meta:
        model = Pregunta
        fields = "__all__"
        help_texts = {
            "opciones": _(
                'Elección, varias respuestas o encuesta: [{"id": 1, "text": "Tajo", "correct": true}, …]. '
                "Una opción conserva su id; una nueva lleva el mayor id + 1."
            ),
        }

    def clean(self):
        cleaned = super().clean()
        if "tipo" in cleaned and "opciones" in cleaned:
            self.check_answer(cleaned, cleaned["opciones"])
        self.check_image_text(cleaned)
        return cleaned


@admin.register(Pregunta)
class PreguntaAdmin(admin.ModelAdmin):
    form = PreguntaAdminForm
    list_display = ["texto", "tipo", "tema", "propietario", "actualizada"]
    list_filter = ["tipo", "tema", "propietario"]
    search_fields = ["texto", "tema"]
    readonly_fields = ["creada", "actualizada"]
    autocomplete_fields = ["copiada_de"]
    fieldsets = [
        (None, {"fields": ["tipo", "texto", "tema", "propietario"]}),
        (_("Respuesta correcta"), {"fields": ["respuesta", "opciones", "numero", "tolerancia", "explicacion"]}),
        (_("Imagen"), {"fields": ["imagen", "imagen_alt"]}),
        (_("Historia"), {"fields": ["copiada_de", "archivada", "creada", "actualizada"]}),
    ]


class RondaInline(admin.TabularInline):
    model = Ronda
    fields = ["texto", "tipo", respuesta_correcta, "abierta", "limite", "cierre", "cerrada"]
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
    fields = ["alumno", respuesta, "recibida"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Ronda)
class RondaAdmin(admin.ModelAdmin):
    list_display = ["texto", "aula", "tipo", respuesta_correcta, "abierta", "cerrada"]
    list_filter = ["tipo", "aula"]
    readonly_fields = [respuesta_correcta]
    search_fields = ["texto", "aula__nombre", "aula__codigo"]
    inlines = [RespuestaInline]


@admin.register(Respuesta)
class RespuestaAdmin(admin.ModelAdmin):
    list_display = ["alumno", "ronda", respuesta, "recibida"]
    list_filter = ["ronda__tipo", "ronda__aula"]
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


class TareaPreguntaInline(admin.TabularInline):
    model = TareaPregunta
    fields = ["orden", "tipo", "texto"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(Tarea)
class TareaAdmin(admin.ModelAdmin):
    list_display = ["nombre", "aula", "abre", "vence", "revelar", "intentos", "cuenta", "segundos", "barajar"]
    list_filter = ["revelar", "cuenta", "aula"]
    search_fields = ["nombre", "aula__nombre", "aula__codigo"]
    readonly_fields = ["creada"]
    inlines = [TareaPreguntaInline]


@admin.register(TareaPregunta)
class TareaPreguntaAdmin(admin.ModelAdmin):
    list_display = ["texto", "tipo", "tarea", "orden"]
    list_filter = ["tipo"]
    search_fields = ["texto", "tarea__nombre"]


class RespuestaTareaInline(admin.TabularInline):
    model = RespuestaTarea
    fields = ["pregunta", "valor", "seguro", "correcta", "recibida"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Intento)
class IntentoAdmin(admin.ModelAdmin):
    list_display = ["alumno", "tarea", "numero", "empezado", "terminado"]
    list_filter = ["tarea__aula"]
    search_fields = ["alumno__nombre", "tarea__nombre"]
    list_select_related = ["alumno", "tarea"]
    inlines = [RespuestaTareaInline]


@admin.register(RespuestaTarea)
class RespuestaTareaAdmin(admin.ModelAdmin):
    list_display = ["intento", "pregunta", "valor", "correcta", "recibida"]
    list_filter = ["correcta", "intento__tarea__aula"]
    search_fields = ["intento__alumno__nombre", "pregunta__texto"]
    list_select_related = ["intento__alumno", "pregunta"]
