from django import forms
from django.utils.translation import gettext_lazy as _

from preguntas.models import Aula, Pregunta


class AulaForm(forms.ModelForm):
    class Meta:
        model = Aula
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
