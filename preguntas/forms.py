from django import forms
from django.utils.translation import gettext_lazy as _

from preguntas.banco_csv import find_duplicate
from preguntas.models import Aula, Cuestionario, Pregunta


class AulaForm(forms.ModelForm):
    class Meta:
        model = Aula
        fields = ["nombre"]


class AulaAjustesForm(forms.ModelForm):
    """Name, and how the classroom scores and who sees the leaderboard (scores.py)."""

    class Meta:
        model = Aula
        fields = ["nombre", "puntos_velocidad", "clasificacion"]
        widgets = {"clasificacion": forms.RadioSelect}


class CuestionarioForm(forms.ModelForm):
    class Meta:
        model = Cuestionario
        fields = ["nombre"]


class PreguntaForm(forms.ModelForm):
    respuesta = forms.TypedChoiceField(
        label=_("Respuesta correcta"),
        choices=[(True, _("Verdadero")), (False, _("Falso"))],
        coerce=lambda value: value in (True, "True"),
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Pregunta
        fields = ["texto", "respuesta", "tema"]
        widgets = {"texto": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user=None, **kwargs):
        """With a ``user``, a statement already in their visible bank is refused (banco_csv.normalise_text)."""
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
