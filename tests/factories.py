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
    texto = factory.SelfAttribute("pregunta.texto")
    correcta = factory.SelfAttribute("pregunta.respuesta")


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
