from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_bootstrap5 import renderers

from preguntas.game import csv_files, kinds
from preguntas.game.bank import find_duplicate
from preguntas.game.roster import NUMBER_MAX_LENGTH
from preguntas.models import Aula, Cuestionario, Pregunta, TiempoExtra


class FieldRenderer(renderers.FieldRenderer):
    """Every form's fields (settings.BOOTSTRAP5): red with its error, never green.

    A field is not "right" because the form came back: after a wrong password, a tick under
    the username would say the opposite of the error above it.
    """

    def get_server_side_validation_classes(self):
        return "is-invalid" if self.field_errors else ""


class AulaForm(forms.ModelForm):
    class Meta:
        model = Aula
        fields = ["nombre"]


class AulaAjustesForm(forms.ModelForm):
    """Name, and how the classroom scores and who sees the leaderboard (game/scoring.py)."""

    class Meta:
        model = Aula
        fields = ["nombre", "puntos_velocidad", "clasificacion", "reparto_en_directo"]
        widgets = {"clasificacion": forms.RadioSelect}


class CuestionarioForm(forms.ModelForm):
    class Meta:
        model = Cuestionario
        fields = ["nombre"]


class PreguntaForm(forms.ModelForm):
    respuesta = forms.TypedChoiceField(
        label=_("Respuesta correcta"),
        choices=kinds.get(kinds.DEFAULT).choices,
        coerce=kinds.get(kinds.DEFAULT).from_text,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Pregunta
        fields = ["texto", "respuesta", "tema"]
        widgets = {"texto": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user=None, **kwargs):
        """With a ``user``, a statement already in their visible bank is refused (game/bank.normalise_text)."""
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_texto(self):
        texto = self.cleaned_data["texto"]
        if self.user is not None and (duplicate := find_duplicate(self.user, texto, exclude_pk=self.instance.pk)):
            raise forms.ValidationError(
                _("Ya hay una pregunta igual en el banco: «%(texto)s»"),
                code="duplicada",
                params={"texto": duplicate.texto},
            )
        return texto


class CsvUploadForm(forms.Form):
    """A CSV file a teacher uploads (the roster's; the bank's import takes other formats too: BankFileForm)."""

    archivo = forms.FileField(
        label=_("Archivo CSV"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_archivo(self):
        archivo = self.cleaned_data["archivo"]
        if archivo.size > csv_files.MAX_BYTES:
            raise forms.ValidationError(csv_files.too_large(), code="demasiado_grande")
        return archivo

    def read_file(self) -> bytes:
        return self.cleaned_data["archivo"].read(csv_files.MAX_BYTES + 1)


class BankFileForm(CsvUploadForm):
    """A file of questions for the bank, in any format of game/formats/ (found out from the file)."""

    archivo = forms.FileField(
        label=_("Archivo de preguntas"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.gift,.xml,.xlsx"}),
    )

    def file_name(self) -> str:
        return self.cleaned_data["archivo"].name or ""


class BuscadorForm(forms.Form):
    """The bank's filter in the address (?q=&tema=): the panel, the quiz page and the bank."""

    q = forms.CharField(required=False)
    tema = forms.CharField(required=False)


class PanelForm(forms.Form):
    """The quiz the panel lists (?cuestionario=), by id; whose it is, the view checks."""

    cuestionario = forms.IntegerField(min_value=1, required=False)


class CuestionarioEdicionForm(forms.Form):
    """One edit of a quiz: what to do and, to add, remove or move a question, its id (the view
    checks that the question is in the teacher's bank). The new name comes in CuestionarioForm."""

    accion = forms.ChoiceField(
        choices=[(accion, accion) for accion in ("renombrar", "anadir", "quitar", "subir", "bajar", "borrar")]
    )
    pregunta = forms.IntegerField(min_value=1, required=False)


class NuevoAlumnoForm(forms.Form):
    nombre = forms.CharField(label=_("Nombre"), max_length=settings.QRT_MAX_NAME_LENGTH)
    numero = forms.CharField(label=_("Nº de alumno (opcional)"), max_length=NUMBER_MAX_LENGTH, required=False)


class TiempoExtraForm(forms.Form):
    tiempo_extra = forms.TypedChoiceField(choices=TiempoExtra.choices, coerce=int)
