import json
from itertools import count
from types import SimpleNamespace
from typing import NamedTuple

from django import forms
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from django_bootstrap5 import renderers

from preguntas import images
from preguntas.game import csv_files, kinds
from preguntas.game.bank import find_duplicate
from preguntas.game.errors import is_int
from preguntas.game.homework import MAX_ATTEMPTS, MAX_SECONDS, MIN_SECONDS
from preguntas.game.kinds import options
from preguntas.game.roster import NUMBER_MAX_LENGTH
from preguntas.models import Aula, Cuestionario, Pregunta, Tarea, TiempoExtra, Tipo


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


class AnswerInput(NamedTuple):
    """Where the editor asks for a kind's right answer (the rules are the kind's, game/kinds/)."""

    field: str  # the form field that holds it; the kind's problems are shown there
    marks: str = ""  # how options are marked right: "radio" (one), "checkbox" (one or more), "" (none)


ANSWER_INPUTS = {
    Tipo.VERDADERO_FALSO: AnswerInput("respuesta"),
    Tipo.UNA: AnswerInput("opciones", marks="radio"),
    Tipo.VARIAS: AnswerInput("opciones", marks="checkbox"),
    Tipo.ENCUESTA: AnswerInput("opciones"),
    Tipo.NUMERO: AnswerInput("numero"),
}


class OptionRow(NamedTuple):
    """One row of the editor's option list: ``key`` is the id of the option it shows, or
    ``n1``, ``n2``… for a new one."""

    key: str
    text: str
    marked: bool


class OptionRowsInput(forms.Widget):
    """The option rows, posted as lists in the page's order: the texts under the field's name,
    each row's key under ``<name>_clave`` and the keys marked right under ``<name>_correcta``.
    The template draws the rows (``PreguntaForm.option_rows``)."""

    def value_from_datadict(self, data, files, name):
        def values(key):
            if hasattr(data, "getlist"):
                return data.getlist(key)
            value = data.get(key, [])
            return value if isinstance(value, list) else [value]

        return {"texts": values(name), "keys": values(f"{name}_clave"), "marked": values(f"{name}_correcta")}

    def value_omitted_from_data(self, data, files, name):
        return False


class OptionRowsField(forms.Field):
    widget = OptionRowsInput
    MOST_ROWS = 2 * options.MAX_OPTIONS  # more is no editor's post: the rest is not read

    def to_python(self, value) -> list[OptionRow]:
        if not isinstance(value, dict):
            return []
        texts, keys = value.get("texts", [])[: self.MOST_ROWS], value.get("keys", [])
        marked = set(value.get("marked", []))
        rows = []
        for index, text in enumerate(texts):
            key = keys[index] if index < len(keys) else ""
            rows.append(OptionRow(key, str(text).replace("\x00", "").strip(), bool(key) and key in marked))
        return rows


def numbered_options(rows: list[OptionRow], previous: list, marks: str) -> list[dict]:
    """The rows with text as stored options, in order. A row keeps the id of the option it
    showed (its key), so answers and tallies go on naming it; a new row gets the next id
    after the largest the question had. ``marks`` empty (a poll): no option is right."""
    known = {o["id"] for o in previous if isinstance(o, dict) and is_int(o.get("id"))} if isinstance(previous, list) else set()
    next_id = max(known, default=0) + 1
    stored, used = [], set()
    for row in rows:
        if not row.text:
            continue
        option_id = int(row.key) if row.key.isdecimal() and len(row.key) < 19 else None
        if option_id not in known or option_id in used:
            option_id, next_id = next_id, next_id + 1
        used.add(option_id)
        stored.append({"id": option_id, "text": row.text, "correct": bool(marks) and row.marked})
    return stored


class QuestionChecks:
    """What the editor and the admin check alike in a question form: the kind's problems, as
    errors of the field where its answer is asked (the other kinds' answers are emptied), a
    new image re-encoded (preguntas/images.py), and the text of an image."""

    def clean_imagen(self):
        imagen = self.cleaned_data.get("imagen")
        if not isinstance(imagen, UploadedFile):
            return imagen  # none sent (the question's own, if it has one), or the image removed
        try:
            return images.reencode(imagen)
        except images.ImageError as error:
            raise forms.ValidationError(str(error), code="imagen") from None

    def check_answer(self, cleaned, opciones: list) -> None:
        tipo = cleaned["tipo"]
        answer = ANSWER_INPUTS[tipo]
        cleaned["opciones"] = opciones if answer.field == "opciones" else []
        if answer.field != "respuesta":
            cleaned["respuesta"] = None
        if answer.field != "numero":
            cleaned["numero"], cleaned["tolerancia"] = None, 0
        elif cleaned.get("tolerancia") is None:
            cleaned["tolerancia"] = 0
        if self.has_error(answer.field) or self.has_error("tolerancia"):
            return  # a value that is no number yet: its own error says so
        question = SimpleNamespace(
            tipo=tipo, opciones=cleaned["opciones"], numero=cleaned.get("numero"),
            tolerancia=cleaned.get("tolerancia"), correcta=cleaned.get("respuesta"),
        )
        for problem in kinds.get(tipo).problems(question):
            self.add_error(answer.field, problem)

    def check_image_text(self, cleaned) -> None:
        """An image, new or kept, needs its text; with the image removed, its text goes too.
        ``cleaned["imagen"]`` is False when the image is removed."""
        imagen = cleaned.get("imagen")
        keeps = isinstance(imagen, ContentFile) or (imagen is not False and bool(self.instance.imagen))
        if not keeps:
            cleaned["imagen_alt"] = ""
        elif not cleaned.get("imagen_alt", "").strip() and not self.has_error("imagen_alt"):
            self.add_error("imagen_alt", _("Describe la imagen en pocas palabras: es lo que leerá quien no pueda verla."))


class PreguntaForm(QuestionChecks, forms.ModelForm):
    """A question of any kind. The kind decides which answer is read (``ANSWER_INPUTS``) and
    its ``problems`` are the form's errors; the other kinds' answers are emptied."""

    tipo = forms.TypedChoiceField(
        label=_("Tipo de pregunta"), choices=Tipo.choices, required=False, initial=Tipo.VERDADERO_FALSO,
        empty_value=Tipo.VERDADERO_FALSO, widget=forms.RadioSelect,
    )
    respuesta = forms.TypedChoiceField(
        label=_("Respuesta correcta"),
        choices=kinds.get(kinds.DEFAULT).choices,
        coerce=kinds.get(kinds.DEFAULT).from_text,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
    )
    opciones = OptionRowsField(label=_("Opciones"), required=False)
    numero = forms.FloatField(
        label=_("Número correcto"), required=False, localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    tolerancia = forms.FloatField(
        label=_("Tolerancia (±)"), required=False, localize=True,
        help_text=_("Se acepta cualquier respuesta entre el número menos esto y el número más esto. 0: exacto."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    imagen = forms.FileField(
        label=_("Imagen (opcional)"), required=False,
        help_text=_("JPEG, PNG, WebP o GIF, hasta 5 MB. Se guarda reducida y sin datos de la cámara."),
        widget=forms.FileInput(attrs={"accept": images.ACCEPT}),
    )
    quitar_imagen = forms.BooleanField(label=_("Quitar la imagen"), required=False)

    class Meta:
        model = Pregunta
        fields = ["tipo", "texto", "opciones", "respuesta", "numero", "tolerancia", "explicacion", "imagen", "imagen_alt", "tema"]
        widgets = {
            "texto": forms.Textarea(attrs={"rows": 3}),
            "explicacion": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"explicacion": _("Explicación (opcional)")}
        help_texts = {
            "texto": _("Fórmulas entre \\( y \\) dentro del texto, o entre \\[ y \\] en una línea aparte: \\( x^2 + 1 \\)."),
            "imagen_alt": _("Qué muestra la imagen, para quien no la ve. Obligatorio si hay imagen."),
        }

    def __init__(self, *args, user=None, **kwargs):
        """With a ``user``, a statement already in their visible bank is refused (game/bank.normalise_text)."""
        super().__init__(*args, **kwargs)
        self.user = user
        # What the page shows as the question's image: the stored one, whatever this post changes.
        self.saved_image = {"url": self.instance.imagen.url, "alt": self.instance.imagen_alt} if self.instance.imagen else None

    def clean_texto(self):
        texto = self.cleaned_data["texto"]
        if self.user is not None and (duplicate := find_duplicate(self.user, texto, exclude_pk=self.instance.pk)):
            raise forms.ValidationError(
                _("Ya hay una pregunta igual en el banco: «%(texto)s»"),
                code="duplicada",
                params={"texto": duplicate.texto},
            )
        return texto

    def clean(self):
        cleaned = super().clean()
        if "tipo" in cleaned:
            rows = cleaned.get("opciones") or []
            marks = ANSWER_INPUTS[cleaned["tipo"]].marks
            self.check_answer(cleaned, numbered_options(rows, self.instance.opciones, marks))
        if cleaned.get("quitar_imagen") and not isinstance(cleaned.get("imagen"), ContentFile):
            cleaned["imagen"] = False
        self.check_image_text(cleaned)
        return cleaned

    def option_rows(self) -> list[OptionRow]:
        """The rows the editor shows: what was posted (too many, if so: the teacher picks which
        to drop), or the question's options; then empty rows up to the most options a question
        takes, so that a page without JavaScript can add them (empty rows are not saved)."""
        if self.is_bound:
            rows = [row for row in self.fields["opciones"].to_python(self["opciones"].data) if row.text]
        else:
            opciones = self.instance.opciones if isinstance(self.instance.opciones, list) else []
            rows = [OptionRow(str(o.get("id", "")), str(o.get("text", "")), o.get("correct") is True)
                    for o in opciones if isinstance(o, dict)]
        keys = {row.key for row in rows}
        free = (f"n{n}" for n in count(1) if f"n{n}" not in keys)
        return rows + [OptionRow(next(free), "", False) for _ in range(options.MAX_OPTIONS - len(rows))]

    @property
    def answer_input(self) -> AnswerInput:
        """Where the answer of the kind on show is asked: the kind posted, or the question's."""
        tipo = self["tipo"].value() or Tipo.VERDADERO_FALSO
        return ANSWER_INPUTS.get(tipo, ANSWER_INPUTS[Tipo.VERDADERO_FALSO])

    @property
    def image_to_choose_again(self) -> bool:
        """An image came with a post that had errors: it was not kept, and must be chosen again."""
        return self.is_bound and bool(self.errors) and bool(self.files.get("imagen"))

    def editor_json(self) -> str:
        """What the editor's script needs to know of the kinds: for each kind's code where its
        answer is asked (``ANSWER_INPUTS``) and, for the preview, how the answer buttons look
        (the fixed ones of true/false; for options, the icons and colours by position)."""
        return json.dumps({
            "kinds": {
                code: {**answer._asdict(), "buttons": _fixed_buttons(code) if answer.field == "respuesta" else []}
                for code, answer in ANSWER_INPUTS.items()
            },
            "icons": options.ICONS,
            "tones": options.TONES,
            "maxOptions": options.MAX_OPTIONS,
            "minOptions": options.MIN_OPTIONS,
        })


def _fixed_buttons(code: str) -> list[dict]:
    return [{"label": str(o.label), "icon": o.icon, "tone": o.tone} for o in kinds.get(code).options(None)]


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


class TareaForm(forms.ModelForm):
    """Assign one of the teacher's quizzes as homework (game/homework.py checks the rest)."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cuestionario"].queryset = Cuestionario.objects.filter(propietario=user)
        self.fields["cuestionario"].required = True
        self.fields["cuestionario"].empty_label = None
        for name in ("abre", "vence"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]

    class Meta:
        model = Tarea
        fields = ["cuestionario", "abre", "vence", "revelar", "intentos", "cuenta", "segundos", "barajar"]
        widgets = {
            "abre": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "vence": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "revelar": forms.RadioSelect,
            "cuenta": forms.RadioSelect,
            "intentos": forms.NumberInput(attrs={"min": 1, "max": MAX_ATTEMPTS}),
            "segundos": forms.NumberInput(attrs={"min": MIN_SECONDS, "max": MAX_SECONDS}),
        }

    def clean_intentos(self):
        intentos = self.cleaned_data["intentos"]
        if not 1 <= intentos <= MAX_ATTEMPTS:
            raise forms.ValidationError(_("Entre 1 y %(max)s intentos.") % {"max": MAX_ATTEMPTS})
        return intentos

    def clean_segundos(self):
        segundos = self.cleaned_data["segundos"]
        if segundos is not None and not MIN_SECONDS <= segundos <= MAX_SECONDS:
            raise forms.ValidationError(
                _("Entre %(min)s y %(max)s segundos, o vacío.") % {"min": MIN_SECONDS, "max": MAX_SECONDS}
            )
        return segundos

    def clean(self):
        cleaned = super().clean()
        abre, vence = cleaned.get("abre"), cleaned.get("vence")
        if abre and vence and vence <= abre:
            self.add_error("vence", _("El plazo debe vencer después de abrirse."))
        quiz = cleaned.get("cuestionario")
        if quiz is not None and not quiz.lineas.exists():
            self.add_error("cuestionario", _("El cuestionario no tiene preguntas."))
        return cleaned


class TareaPlazoForm(forms.Form):
    """A new due time for a homework (game/homework.py checks it is after the opening)."""

    vence = forms.DateTimeField(
        label=_("Vence"), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class TareaUnirseForm(forms.Form):
    """A student starts homework: a roster seat, a name, or the token their device already holds."""

    puesto = forms.IntegerField(min_value=1, required=False)
    nombre = forms.CharField(max_length=200, required=False, strip=False)
    token = forms.CharField(max_length=64, required=False)
