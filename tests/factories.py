import factory
from django.contrib.auth import get_user_model

from preguntas.models import Alumno, Aula, Cuestionario, Pregunta, Respuesta, Ronda


class TeacherFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"docente{n}")
    password = factory.django.Password("contrasena-segura")


class PreguntaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pregunta

    texto = factory.Sequence(lambda n: f"La afirmación número {n} es verdadera.")
    respuesta = True
    tema = "Capitales"
    propietario = factory.SubFactory(TeacherFactory)


def options(*texts_and_right) -> list[dict]:
    """Options as stored: options(("Tajo", True), ("Ebro", False)…)."""
    return [{"id": i, "text": text, "correct": right} for i, (text, right) in enumerate(texts_and_right, 1)]


class ChoiceFactory(PreguntaFactory):
    """«¿Cuál es el río más largo de la península ibérica?» Tajo (1, right), Ebro, Duero, Guadiana."""

    tipo = "choice"
    texto = factory.Sequence(lambda n: f"¿Cuál es el río más largo de la península ibérica? ({n})")
    respuesta = None
    opciones = factory.LazyFunction(lambda: options(("Tajo", True), ("Ebro", False), ("Duero", False), ("Guadiana", False)))


class MultiFactory(PreguntaFactory):
    """Which rivers flow into the Atlantic: Tajo (1) and Duero (3) right."""

    tipo = "multi"
    texto = factory.Sequence(lambda n: f"¿Qué ríos desembocan en el Atlántico? ({n})")
    respuesta = None
    opciones = factory.LazyFunction(lambda: options(("Tajo", True), ("Ebro", False), ("Duero", True), ("Júcar", False)))


class PollFactory(PreguntaFactory):
    tipo = "poll"
    texto = factory.Sequence(lambda n: f"¿Qué región te gustaría visitar? ({n})")
    respuesta = None
    opciones = factory.LazyFunction(lambda: options(("Galicia", False), ("Andalucía", False), ("Aragón", False)))


class NumberFactory(PreguntaFactory):
    tipo = "number"
    texto = factory.Sequence(lambda n: f"¿Cuántos kilómetros mide el Tajo? ({n})")
    respuesta = None
    numero = 1007
    tolerancia = 10


class AulaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Aula

    nombre = factory.Sequence(lambda n: f"Aula {n}")
    propietario = factory.SubFactory(TeacherFactory)


class AlumnoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Alumno

    aula = factory.SubFactory(AulaFactory)
    nombre = factory.Sequence(lambda n: f"Alumno {n}")


class RondaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ronda

    aula = factory.SubFactory(AulaFactory)
    pregunta = factory.SubFactory(PreguntaFactory, propietario=factory.SelfAttribute("..aula.propietario"))
    tipo = factory.SelfAttribute("pregunta.tipo")
    texto = factory.SelfAttribute("pregunta.texto")
    correcta = factory.SelfAttribute("pregunta.respuesta")
    opciones = factory.SelfAttribute("pregunta.opciones")
    numero = factory.SelfAttribute("pregunta.numero")
    tolerancia = factory.SelfAttribute("pregunta.tolerancia")
    explicacion = factory.SelfAttribute("pregunta.explicacion")


class RespuestaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Respuesta

    ronda = factory.SubFactory(RondaFactory)
    alumno = factory.SubFactory(AlumnoFactory, aula=factory.SelfAttribute("..ronda.aula"))
    valor = True


class CuestionarioFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cuestionario

    nombre = factory.Sequence(lambda n: f"Cuestionario {n}")
    propietario = factory.SubFactory(TeacherFactory)
