import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Join codes are read aloud in a noisy room: no 0/O, 1/I/L.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
# What a code typed or in an address may look like: letters and digits, in any case. Anything
# else names no classroom and never reaches a query.
CODE_PATTERN = r"[0-9A-Za-z]{1,12}"

# A server process is alive while its heartbeat (realtime/presence.py) is this recent; its
# sockets count as connected while it is.
PROCESS_STALE_AFTER = timedelta(seconds=10)


def new_join_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_token() -> str:
    return secrets.token_urlsafe(24)


class PreguntaQuerySet(models.QuerySet):
    def visibles_para(self, user):
        """A teacher's bank: their own questions plus the shared ones (no owner), leaving out
        archived questions and the shared ones they have copied into their own."""
        copied = Pregunta.objects.filter(propietario=user, copiada_de=OuterRef("pk"))
        return self.filter(Q(propietario=user) | (Q(propietario__isnull=True) & ~Exists(copied))).filter(archivada=False)

    def buscar(self, texto: str = "", tema: str = ""):
        qs = self
        if texto:
            qs = qs.filter(texto__icontains=texto)
        if tema:
            qs = qs.filter(tema=tema)
        return qs


class Tipo(models.TextChoices):
    """Question kinds; each one's rules live in game/kinds/."""

    VERDADERO_FALSO = "tf", _("Verdadero o falso")
    UNA = "choice", _("Una respuesta entre varias")
    VARIAS = "multi", _("Varias respuestas correctas")
    ENCUESTA = "poll", _("Encuesta (sin respuesta correcta)")
    NUMERO = "number", _("Número")


class Contenido(models.Model):
    """What a question says and which answers are right, in every kind: a question in the bank,
    and the copy a round keeps of it when it is pushed.

    ``opciones`` holds the options of choice, multi and poll questions, in order:
    ``[{"id": 1, "text": "Tajo", "correct": true}, …]``; an option keeps its id while the
    question lives, so answers and tallies can name it.
    """

    tipo = models.CharField(_("tipo"), max_length=12, choices=Tipo.choices, default=Tipo.VERDADERO_FALSO)
    texto = models.CharField(_("enunciado"), max_length=300)
    opciones = models.JSONField(_("opciones"), default=list, blank=True)
    numero = models.FloatField(_("número correcto"), null=True, blank=True)
    tolerancia = models.FloatField(_("tolerancia"), default=0, help_text=_("Se acepta el número ± esto."))
    explicacion = models.TextField(
        _("explicación"), max_length=1000, blank=True, help_text=_("Se muestra a todos al revelar la respuesta.")
    )
    imagen = models.ImageField(_("imagen"), upload_to="preguntas/%Y/%m/", blank=True)
    imagen_alt = models.CharField(
        _("texto alternativo"), max_length=200, blank=True, help_text=_("Lo que muestra la imagen, para quien no la ve.")
    )

    class Meta:
        abstract = True

    # The fields a round copies from its question when it is pushed.
    COPIED = ["tipo", "texto", "opciones", "numero", "tolerancia", "explicacion", "imagen", "imagen_alt"]


class Pregunta(Contenido):
    respuesta = models.BooleanField(
        _("respuesta correcta"), null=True, blank=True, help_text=_("Verdadero o falso: marcada, verdadero.")
    )
    tema = models.CharField(_("tema"), max_length=60, blank=True)
    propietario = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("docente"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="preguntas",
        help_text=_("Vacío: pregunta compartida con todos los docentes."),
    )
    archivada = models.BooleanField(
        _("archivada"), default=False,
        help_text=_("Borrada del banco después de usarse en rondas: sus resultados se conservan."),
    )
    copiada_de = models.ForeignKey(
        "self",
        verbose_name=_("copiada de"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copias",
        help_text=_("La pregunta compartida de la que el docente hizo esta copia."),
    )
    creada = models.DateTimeField(_("creada"), auto_now_add=True)
    actualizada = models.DateTimeField(_("actualizada"), auto_now=True)

    objects = PreguntaQuerySet.as_manager()

    class Meta:
        verbose_name = _("pregunta")
        verbose_name_plural = _("preguntas")
        ordering = ["tema", "texto"]

    def __str__(self):
        return self.texto

    @property
    def correcta(self):
        """A true/false question's right answer, named as a round names it."""
        return self.respuesta


class Cuestionario(models.Model):
    """An ordered set of questions, run one after another from the panel."""

    nombre = models.CharField(_("nombre"), max_length=80)
    propietario = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("docente"), on_delete=models.CASCADE, related_name="cuestionarios"
    )
    preguntas = models.ManyToManyField(Pregunta, through="CuestionarioPregunta", related_name="cuestionarios")
    creado = models.DateTimeField(_("creado"), auto_now_add=True)

    class Meta:
        verbose_name = _("cuestionario")
        verbose_name_plural = _("cuestionarios")
        ordering = ["nombre", "pk"]

    def __str__(self):
        return self.nombre

    def en_orden(self):
        return self.preguntas.order_by("cuestionariopregunta__orden", "cuestionariopregunta__pk")

    def anadir(self, pregunta) -> None:
        """Append a question at the end (once)."""
        last = self.lineas.aggregate(models.Max("orden"))["orden__max"]
        self.lineas.get_or_create(pregunta=pregunta, defaults={"orden": 0 if last is None else last + 1})

    def quitar(self, pregunta) -> None:
        self.lineas.filter(pregunta=pregunta).delete()

    def mover(self, pregunta, delta: int) -> None:
        """Move a question up (-1) or down (+1) one place."""
        lineas = list(self.lineas.order_by("orden", "pk"))
        index = next((i for i, linea in enumerate(lineas) if linea.pregunta_id == pregunta.pk), None)
        if index is None or not 0 <= index + delta < len(lineas):
            return
        lineas[index], lineas[index + delta] = lineas[index + delta], lineas[index]
        for orden, linea in enumerate(lineas):
            linea.orden = orden
        CuestionarioPregunta.objects.bulk_update(lineas, ["orden"])


class CuestionarioPregunta(models.Model):
    cuestionario = models.ForeignKey(Cuestionario, on_delete=models.CASCADE, related_name="lineas")
    pregunta = models.ForeignKey(Pregunta, on_delete=models.CASCADE)
    orden = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["orden", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cuestionario", "pregunta"], name="pregunta_una_vez_por_cuestionario")
        ]


class AulaQuerySet(models.QuerySet):
    def de(self, user):
        return self.filter(propietario=user)

    def activas(self):
        return self.filter(archivada=False)


class Clasificacion(models.TextChoices):
    """Who sees the leaderboard (scores.py)."""

    NINGUNA = "no", _("Nadie: sin clasificación")
    PROPIA = "propia", _("Cada alumno solo su puesto")
    TOP5 = "top5", _("Los 5 primeros, tras cada pregunta")
    FINAL = "final", _("Solo al final del cuestionario")


class Aula(models.Model):
    nombre = models.CharField(_("nombre"), max_length=80)
    propietario = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("docente"), on_delete=models.CASCADE, related_name="aulas"
    )
    codigo = models.CharField(_("código"), max_length=12, unique=True, default=new_join_code)
    archivada = models.BooleanField(_("archivada"), default=False)
    bloqueada = models.BooleanField(
        _("cerrada a nuevos alumnos"), default=False,
        help_text=_("Nadie se une con un nombre nuevo; quien ya estaba vuelve a entrar."),
    )
    puntos_velocidad = models.BooleanField(
        _("puntos por rapidez"),
        default=False,
        help_text=_("Los aciertos rápidos suman más puntos. Sin marcar, la nota es el número de aciertos."),
    )
    clasificacion = models.CharField(
        _("clasificación"), max_length=8, choices=Clasificacion.choices, default=Clasificacion.NINGUNA
    )
    reparto_en_directo = models.BooleanField(
        _("reparto en directo en el proyector"),
        default=False,
        help_text=_(
            "El proyector muestra cómo vota la clase mientras la pregunta está abierta. Sin marcar, solo "
            "cuántos han respondido: el reparto se ve al cerrar o con «Mostrar reparto»."
        ),
    )
    creada = models.DateTimeField(_("creada"), auto_now_add=True)

    objects = AulaQuerySet.as_manager()

    class Meta:
        verbose_name = _("aula")
        verbose_name_plural = _("aulas")
        ordering = ["archivada", "-creada"]

    def __str__(self):
        return f"{self.nombre} ({self.codigo})"

    @property
    def group_name(self) -> str:
        """Channels group of every socket in this classroom."""
        return f"aula.{self.pk}"

    @property
    def teacher_group_name(self) -> str:
        """Channels group of the teacher's sockets only (tallies, roster)."""
        return f"aula.{self.pk}.docente"

    def ronda_abierta(self):
        return self.rondas.filter(cerrada__isnull=True).select_related("pregunta").first()


class AlumnoQuerySet(models.QuerySet):
    def con_presencia(self):
        return self.annotate(online=Exists(Conexion.objects.vivas().filter(alumno=OuterRef("pk"))))

    def conectados(self):
        return self.filter(Exists(Conexion.objects.vivas().filter(alumno=OuterRef("pk"))))

    def en_clase(self):
        """All but the students the teacher removed."""
        return self.filter(retirado=False)


class TiempoExtra(models.IntegerChoices):
    """Extra time on timed questions, in percent of the time given to the class."""

    NO = 100, _("No")
    MEDIO = 150, _("1,5 ×")
    DOBLE = 200, _("2 ×")


class Alumno(models.Model):
    """A student of a classroom: one who joined with a name, or a seat of its roster.

    The token lets the device that holds the seat rejoin as the same person. A roster seat
    is free (``reclamado`` empty) until a device picks it, and stays held by that device,
    across reloads and sessions, until the teacher frees it.
    """

    aula = models.ForeignKey(Aula, verbose_name=_("aula"), on_delete=models.CASCADE, related_name="alumnos")
    nombre = models.CharField(_("nombre"), max_length=60)
    numero = models.CharField(_("nº de alumno"), max_length=30, blank=True, help_text=_("Opcional: el del centro."))
    en_lista = models.BooleanField(_("en la lista"), default=False)
    retirado = models.BooleanField(
        _("quitado del aula"), default=False, help_text=_("El docente lo quitó; sus respuestas se conservan.")
    )
    tiempo_extra = models.PositiveSmallIntegerField(
        _("tiempo extra"), choices=TiempoExtra.choices, default=TiempoExtra.NO,
        help_text=_("En las preguntas con tiempo; los demás alumnos no lo ven."),
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    reclamado = models.DateTimeField(_("en un dispositivo desde"), null=True, blank=True, default=timezone.now)
    creado = models.DateTimeField(_("se unió"), auto_now_add=True)

    objects = AlumnoQuerySet.as_manager()

    class Meta:
        verbose_name = _("alumno")
        verbose_name_plural = _("alumnos")
        ordering = ["nombre", "pk"]
        constraints = [models.UniqueConstraint(fields=["aula", "nombre"], name="alumno_nombre_unico_por_aula")]

    def __str__(self):
        return self.nombre


class ProcesoQuerySet(models.QuerySet):
    def vivos(self, now=None):
        return self.filter(visto__gte=(now or timezone.now()) - PROCESS_STALE_AFTER)

    def muertos(self, now=None):
        return self.filter(visto__lt=(now or timezone.now()) - PROCESS_STALE_AFTER)


class Proceso(models.Model):
    """A server process with sockets open; it refreshes ``visto`` while it lives."""

    id = models.CharField(max_length=32, primary_key=True)
    visto = models.DateTimeField(default=timezone.now)
    perdido = models.BooleanField(default=False, help_text=_("Dejó de latir y sus aulas ya lo saben."))

    objects = ProcesoQuerySet.as_manager()

    class Meta:
        verbose_name = _("proceso")
        verbose_name_plural = _("procesos")


class ConexionQuerySet(models.QuerySet):
    def vivas(self, now=None):
        """Sockets of a live process (one that beat recently)."""
        return self.filter(proceso__in=Proceso.objects.vivos(now).values("id"))



class Conexion(models.Model):
    """An open student socket, held by one server process.

    The sockets of a process that died without closing them stop counting as connected when
    its heartbeat stops (``Proceso``), and are deleted by another process's heartbeat.
    """

    alumno = models.ForeignKey(Alumno, on_delete=models.CASCADE, related_name="conexiones")
    proceso = models.CharField(max_length=32, db_index=True)
    visto = models.DateTimeField(_("abierta"), default=timezone.now, db_index=True)

    objects = ConexionQuerySet.as_manager()

    class Meta:
        verbose_name = _("conexión")
        verbose_name_plural = _("conexiones")


class RondaQuerySet(models.QuerySet):
    def que_cuentan(self):
        """Rounds whose answers count: all but a first vote that was put to a second one."""
        return self.exclude(Exists(Ronda.objects.filter(anterior=OuterRef("pk"))))


class Ronda(Contenido):
    """One push of a question to a classroom.

    The statement, kind and correct answer are copied at push time so that results stay
    true even if the question is edited later.

    Time: ``limite`` is the class's deadline; a student with extra time (``Alumno.tiempo_extra``,
    in percent) has the time from ``abierta`` to ``limite`` stretched by it; ``cierre`` is when
    the round closes for everyone (the longest extra time among the students connected at the
    push). Untimed rounds have neither.
    """

    aula = models.ForeignKey(Aula, verbose_name=_("aula"), on_delete=models.CASCADE, related_name="rondas")
    pregunta = models.ForeignKey(
        Pregunta, verbose_name=_("pregunta"), on_delete=models.SET_NULL, null=True, related_name="rondas"
    )
    correcta = models.BooleanField(_("respuesta correcta"), null=True, blank=True)
    abierta = models.DateTimeField(_("abierta"), default=timezone.now)
    limite = models.DateTimeField(_("límite"), null=True, blank=True)
    cierre = models.DateTimeField(
        _("cierre"), null=True, blank=True,
        help_text=_("Con tiempo extra para algún alumno, cuándo se cierra; si no, el límite."),
    )
    cerrada = models.DateTimeField(_("cerrada"), null=True, blank=True)
    reparto_visible = models.BooleanField(
        _("reparto a la vista"), default=False,
        help_text=_("El docente enseñó a la clase cómo vota («Mostrar reparto»): se actualiza con cada respuesta."),
    )
    cuestionario = models.ForeignKey(
        "Cuestionario",
        verbose_name=_("cuestionario"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rondas",
        help_text=_("El cuestionario desde el que se lanzó, si fue así (cuaderno de notas)."),
    )
    anterior = models.ForeignKey(
        "self",
        verbose_name=_("votación anterior"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="revotaciones",
        help_text=_("Si esta ronda es una segunda votación de la misma pregunta."),
    )

    objects = RondaQuerySet.as_manager()

    # (position, of): where the question sits in the quiz it was pushed from. Not stored: set by
    # game.rounds.with_quiz_progress on the rounds whose frames say it (docs/protocol.md, `quiz`).
    quiz_progress: tuple[int, int] | None = None

    class Meta:
        verbose_name = _("ronda")
        verbose_name_plural = _("rondas")
        ordering = ["abierta", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["aula"], condition=Q(cerrada__isnull=True), name="una_ronda_abierta_por_aula"
            )
        ]

    def __str__(self):
        return self.texto

    @property
    def esta_abierta(self) -> bool:
        return self.cerrada is None

    def termina(self):
        """When the round is over for everyone (None if untimed)."""
        return self.cierre or self.limite

    def vencida(self, now=None) -> bool:
        """Past the deadline of every student: the round is over."""
        fin = self.termina()
        return fin is not None and (now or timezone.now()) >= fin

    def limite_para(self, tiempo_extra: int):
        """The deadline of a student with this much time (percent), or None if untimed."""
        if self.limite is None:
            return None
        return self.abierta + (self.limite - self.abierta) * tiempo_extra / 100

    def vencida_para(self, tiempo_extra: int, now=None) -> bool:
        """Past this student's own deadline, or the round is over for everyone."""
        limite = self.limite_para(tiempo_extra)
        return self.vencida(now) or (limite is not None and (now or timezone.now()) >= limite)


class Respuesta(models.Model):
    ronda = models.ForeignKey(Ronda, verbose_name=_("ronda"), on_delete=models.CASCADE, related_name="respuestas")
    alumno = models.ForeignKey(Alumno, verbose_name=_("alumno"), on_delete=models.CASCADE, related_name="respuestas")
    valor = models.JSONField(_("respuesta"), help_text=_("Como la guarda su clase de pregunta (game/kinds/)."))
    seguro = models.BooleanField(
        _("seguro"), null=True, blank=True, help_text=_("Lo que el alumno dijo de su confianza; vacío si no lo dijo.")
    )
    recibida = models.DateTimeField(_("recibida"), default=timezone.now)

    class Meta:
        verbose_name = _("respuesta")
        verbose_name_plural = _("respuestas")
        ordering = ["recibida", "pk"]
        constraints = [models.UniqueConstraint(fields=["ronda", "alumno"], name="una_respuesta_por_alumno_y_ronda")]

    def __str__(self):
        return f"{self.alumno} → {self.valor}"


class Revelar(models.TextChoices):
    """When a homework shows each student the right answers (game/homework.py)."""

    CADA_PREGUNTA = "cada_pregunta", _("Después de cada pregunta")
    AL_VENCER = "al_vencer", _("Solo cuando venza el plazo")


class Cuenta(models.TextChoices):
    """Which attempt counts when a homework allows several."""

    MEJOR = "mejor", _("El mejor intento")
    ULTIMO = "ultimo", _("El último intento")


class Tarea(models.Model):
    """A quiz assigned to a classroom as homework: each student does it at their own pace,
    between ``abre`` and ``vence``.

    Its questions are copied at assignment (``TareaPregunta``), so that results stay true even
    if the quiz or its questions are edited later. Homework has its own attempts and answers:
    it never mixes with the classroom's live rounds."""

    aula = models.ForeignKey(Aula, verbose_name=_("aula"), on_delete=models.CASCADE, related_name="tareas")
    cuestionario = models.ForeignKey(
        Cuestionario, verbose_name=_("cuestionario"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="tareas",
    )
    nombre = models.CharField(_("nombre"), max_length=80)
    abre = models.DateTimeField(_("se abre"))
    vence = models.DateTimeField(_("vence"))
    revelar = models.CharField(
        _("respuestas correctas"), max_length=16, choices=Revelar.choices, default=Revelar.CADA_PREGUNTA
    )
    intentos = models.PositiveSmallIntegerField(_("intentos"), default=1)
    cuenta = models.CharField(_("cuenta"), max_length=8, choices=Cuenta.choices, default=Cuenta.MEJOR)
    segundos = models.PositiveSmallIntegerField(
        _("segundos por pregunta"), null=True, blank=True, help_text=_("Vacío: sin límite de tiempo.")
    )
    barajar = models.BooleanField(_("barajar preguntas y opciones"), default=False)
    creada = models.DateTimeField(_("creada"), auto_now_add=True)

    class Meta:
        verbose_name = _("tarea")
        verbose_name_plural = _("tareas")
        ordering = ["-vence", "-pk"]

    def __str__(self):
        return self.nombre


class TareaPregunta(Contenido):
    """A question of a homework, as it was when the homework was assigned."""

    tarea = models.ForeignKey(Tarea, verbose_name=_("tarea"), on_delete=models.CASCADE, related_name="preguntas")
    pregunta = models.ForeignKey(
        Pregunta, verbose_name=_("pregunta"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    correcta = models.BooleanField(_("respuesta correcta"), null=True, blank=True)
    orden = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("pregunta de tarea")
        verbose_name_plural = _("preguntas de tarea")
        ordering = ["orden", "pk"]

    def __str__(self):
        return self.texto


class Intento(models.Model):
    """One go of a student at a homework.

    ``orden`` is the order this attempt shows: ``{"preguntas": [ids], "opciones": {"id": [option ids]}}``,
    drawn once when it starts. ``mostrada`` is when the current question was first shown (its
    timer starts there); empty between questions."""

    tarea = models.ForeignKey(Tarea, verbose_name=_("tarea"), on_delete=models.CASCADE, related_name="intentos_hechos")
    alumno = models.ForeignKey(Alumno, verbose_name=_("alumno"), on_delete=models.CASCADE, related_name="intentos")
    numero = models.PositiveSmallIntegerField(_("número"), default=1)
    orden = models.JSONField(_("orden"), default=dict)
    empezado = models.DateTimeField(_("empezado"), default=timezone.now)
    mostrada = models.DateTimeField(_("pregunta mostrada"), null=True, blank=True)
    terminado = models.DateTimeField(_("terminado"), null=True, blank=True)

    class Meta:
        verbose_name = _("intento")
        verbose_name_plural = _("intentos")
        ordering = ["tarea", "alumno", "numero"]
        constraints = [
            models.UniqueConstraint(fields=["tarea", "alumno", "numero"], name="un_intento_por_numero")
        ]

    def __str__(self):
        return f"{self.alumno} · {self.tarea} · {self.numero}"


class RespuestaTarea(models.Model):
    """A student's answer to one question of a homework attempt; ``valor`` empty: time ran out."""

    intento = models.ForeignKey(Intento, verbose_name=_("intento"), on_delete=models.CASCADE, related_name="respuestas")
    pregunta = models.ForeignKey(TareaPregunta, verbose_name=_("pregunta"), on_delete=models.CASCADE, related_name="respuestas")
    valor = models.JSONField(_("respuesta"), null=True, blank=True, help_text=_("Como la guarda su clase de pregunta (game/kinds/)."))
    seguro = models.BooleanField(_("seguro"), null=True, blank=True)
    recibida = models.DateTimeField(_("recibida"), default=timezone.now)
    correcta = models.BooleanField(_("correcta"), null=True, blank=True, help_text=_("Vacío: una encuesta."))

    class Meta:
        verbose_name = _("respuesta de tarea")
        verbose_name_plural = _("respuestas de tarea")
        ordering = ["recibida", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["intento", "pregunta"], name="una_respuesta_por_intento_y_pregunta")
        ]

    def __str__(self):
        return f"{self.intento} → {self.valor}"
