/* The teacher's control panel: push questions, watch answers land, close and reveal.
 * The projector page runs the same script without the controls, the bank and the
 * history (and without the student chips unless the teacher asked for names).
 * User text (questions, names) is only ever set with textContent. */
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const setHidden = (id, hidden) => { const el = $(id); if (el) el.hidden = hidden; };
  const code = $("codigo").textContent.trim();

  let round = null;        // {round, question, deadline, closes, closed}
  const students = new Map();  // id -> {name, online, answer, sure, right}
  let countdown = null;
  let options = [];        // the round's options, as Opciones.of draws them (none for a number)

  const socket = new LiveSocket(code, {
    onStatus(status) {
      const el = $("conexion");
      el.dataset.status = status;
      $("conexion-texto").textContent = status === "open" ? gettext("conectado") :
        status === "reconnecting" ? gettext("reconectando…") : gettext("conectando…");
      for (const b of document.querySelectorAll(".btn-enviar, #btn-cerrar, #btn-siguiente, #btn-reparto, #btn-revotar, #btn-clasificacion, #btn-bloquear")) {
        b.disabled = status !== "open";
      }
      // Offline, the panel cannot know who is connected: no stale count (`state` brings it back).
      if (status !== "open") $("conectados").textContent = "–";
    },
    onFrame: handle,
  });

  function handle(frame) {
    switch (frame.type) {
      case "state":
        showLocked(frame.classroom.locked);
        setStudents(frame.students);
        if (frame.round) startRound(frame.round);
        else if (round && !round.closed) clearRound();
        renderTally(frame.tally);
        break;
      case "question": {
        setHidden("clasificacion", true);
        for (const s of students.values()) { s.answer = null; s.sure = null; s.right = undefined; }
        startRound(frame);
        // Nobody has answered a new round yet; the server's own tally follows.
        renderTally({round: frame.round, answered: 0, connected: Number($("conectados").textContent), options: {}});
        renderStudents();
        break;
      }
      case "tally":
        if (round && frame.round === round.round) {
          for (const a of frame.answers || []) {
            const s = students.get(a.student);
            if (s) { s.answer = a.value; s.sure = a.sure; }
          }
          renderTally(frame);
          renderStudents();
        } else {
          $("conectados").textContent = frame.connected;
        }
        break;
      case "roster":
        setStudents(frame.students);
        break;
      case "locked":
        showLocked(frame.locked);
        break;
      case "split":
        if (round && frame.round === round.round) {
          round.splitShown = true;
          showSplitState();
        }
        break;
      case "closed":
        if (round && frame.round === round.round) reveal(frame);
        addToHistory(frame);
        break;
      case "outcome":
        if (round && frame.round === round.round) showOutcome(frame);
        break;
      case "extra_time":
        if (round && frame.round === round.round) {
          round.closes = frame.closes;
          startCountdown();
        }
        break;
      case "leaderboard":
        Clasificacion.renderTop($("clasificacion-lista"), frame);
        $("clasificacion-total").textContent = interpolate(
          ngettext("(%s alumno)", "(%s alumnos)", frame.of), [frame.of]);
        setHidden("clasificacion", false);
        break;
      case "error":
        showError(frame.detail);
        break;
    }
  }

  function setStudents(list) {
    students.clear();
    for (const s of list) {
      const right = students.has(s.id) ? students.get(s.id).right : undefined;
      students.set(s.id, {name: s.name, online: s.online, answer: s.answer, sure: s.sure, right: right});
    }
    renderStudents();
  }

  function startRound(payload) {
    round = {round: payload.round, question: payload.question, deadline: payload.deadline,
             closes: payload.closes, closed: false, splitShown: Boolean(payload.split_shown)};
    $("sin-ronda").hidden = true;
    $("ronda").hidden = false;
    $("ronda-texto").textContent = payload.question.text;
    Opciones.math($("ronda-texto"));
    const img = $("ronda-imagen");
    img.hidden = !payload.image;
    if (payload.image) { img.src = payload.image.url; img.alt = payload.image.alt; } else img.removeAttribute("src");
    round.kind = payload.kind || "tf";
    options = Opciones.of(payload);
    buildBars(options.map((o) => ({key: o.key, label: o.label, icon: o.icon, tone: o.tone})));
    setHidden("explicacion", true);
    $("revelada").hidden = true;
    setHidden("confianza", true);
    setHidden("btn-cerrar", false);
    setHidden("btn-reparto", false);
    setHidden("btn-revotar", false);
    setHidden("segunda-votacion", !payload.previous);
    setHidden("btn-siguiente", true);
    setHidden("cuestionario-terminado", true);
    showQuizProgress(payload.quiz);
    showSplitState();
    markSent(payload.question.id);
    startCountdown();
  }

  function clearRound() {
    round = null;
    $("ronda").hidden = true;
    $("sin-ronda").hidden = false;
  }

  function renderTally(t) {
    if (!t) return;
    $("conectados").textContent = t.connected;
    if (!round || t.round !== round.round) return;
    if (t.histogram) buildBars(histogramBars(t.histogram));
    const total = Math.max(1, t.answered);
    for (const row of $("barras").querySelectorAll("[data-option]")) {
      const key = row.dataset.option;
      const n = t.histogram ? t.histogram[Number(key.slice(1))].n : Opciones.count(t, key);
      $("cuenta-" + key).textContent = n;
      $("barra-" + key).style.width = (100 * n / total) + "%";
    }
    $("respondieron").textContent = t.answered;
    $("de-conectados").textContent = Math.max(t.connected, t.answered);
    $("progreso").style.width = (100 * t.answered / Math.max(1, t.connected, t.answered)) + "%";
  }

  /* One bar per option; for a number, one per histogram bin (h0, h1…), redrawn as answers come. */
  function buildBars(bars) {
    const box = $("barras");
    box.replaceChildren();
    bars.forEach((bar) => {
      const row = document.createElement("div");
      row.className = "barra-fila";
      row.dataset.option = bar.key;
      const label = document.createElement("span");
      label.className = "barra-etiqueta";
      label.id = "etiqueta-" + bar.key;
      const text = document.createElement("span");
      text.className = "opcion-texto";
      text.textContent = bar.label;
      label.append(bar.icon ? bar.icon + " " : "", text);
      if (bar.right) label.classList.add("correcta");
      Opciones.math(text);
      const track = document.createElement("div");
      track.className = "barra";
      const fill = document.createElement("div");
      fill.id = "barra-" + bar.key;
      fill.className = "barra-relleno bg-" + (bar.tone || "primary");
      track.appendChild(fill);
      const count = document.createElement("span");
      count.id = "cuenta-" + bar.key;
      count.className = "barra-numero";
      count.textContent = "0";
      row.append(label, track, count);
      box.appendChild(row);
    });
  }

  /* A number's histogram bins as bars; once revealed, the bins of the right range are marked. */
  function histogramBars(bins) {
    return bins.map((b, i) => ({
      key: "h" + i, label: Opciones.number(b.from) + " – " + Opciones.number(b.to),
      right: Boolean(round && round.closed && b.right),
    }));
  }

  function renderStudents() {
    const box = $("alumnos");
    if (!box) return;
    setHidden("alumnos-vacio", students.size > 0);
    box.replaceChildren();
    const sorted = [...students.entries()].sort((a, b) => a[1].name.localeCompare(b[1].name));
    const controls = Boolean($("alumno-acciones"));
    for (const [id, s] of sorted) {
      const chip = document.createElement(controls ? "button" : "span");
      chip.className = "chip";
      chip.textContent = s.name;
      if (controls) {
        chip.type = "button";
        chip.addEventListener("click", () => openStudent(id));
      }
      if (!s.online) chip.classList.add("desconectado");
      if (s.answer !== null && s.answer !== undefined) {
        chip.classList.add("respondio");
        if (round && round.closed && s.right !== undefined) chip.classList.add(s.right ? "acierto" : "fallo");
      }
      box.appendChild(chip);
    }
  }

  function reveal(frame) {
    clearInterval(countdown);
    $("ronda-cuenta").hidden = true;
    setHidden("tiempo-extra", true);
    round.closed = true;
    showSplitState();
    renderTally({...frame, connected: Number($("conectados").textContent)});
    for (const key of frame.right_options) $("etiqueta-" + key).classList.add("correcta");
    const revealed = $("revelada");
    const correct = Opciones.correct(frame, options);
    revealed.textContent = correct ? interpolate(gettext("Respuesta correcta: %s"), [correct])
      : gettext("Encuesta: no hay respuesta correcta");
    Opciones.math(revealed);
    revealed.hidden = false;
    const explanation = $("explicacion");
    explanation.textContent = frame.explanation || "";
    explanation.hidden = !frame.explanation;
    Opciones.math(explanation);
    setHidden("btn-cerrar", true);
    setHidden("btn-reparto", true);
    setHidden("btn-revotar", true);
    setHidden("btn-siguiente", !nextQuestionButton());
    // The server says where the round sits in its quiz; the last one's close ends the quiz.
    setHidden("cuestionario-terminado", !(frame.quiz && frame.quiz.position === frame.quiz.of));
    renderStudents();
  }

  /* Whether the class sees the split: on the panel, «Mostrar reparto» says so once the server
   * has sent it; on the projector, the bars wait for it (or the close) unless shown live. */
  function showSplitState() {
    const shown = Boolean(round && round.splitShown);
    const button = $("btn-reparto");
    if (button) {
      button.textContent = shown ? gettext("Reparto a la vista") : gettext("Mostrar reparto");
      button.classList.toggle("active", shown);
      button.setAttribute("aria-pressed", String(shown));
    }
    const waiting = $("ronda").hasAttribute("data-reparto-oculto") && round && !round.closed && !shown;
    $("ronda").classList.toggle("reparto-oculto", Boolean(waiting));
    setHidden("reparto-espera", !waiting);
  }

  function showQuizProgress(quiz) {
    const el = $("progreso-cuestionario");
    el.hidden = !quiz;
    if (quiz) el.textContent = interpolate(gettext("Pregunta %(position)s de %(of)s"), quiz, true);
  }

  /* After the reveal, as the server counted it: who was right, and how sure the class was. */
  function showOutcome(frame) {
    const right = new Set(frame.right);
    for (const id of [...frame.right, ...frame.wrong]) {
      const s = students.get(id);
      if (s) s.right = right.has(id);
    }
    renderStudents();
    const el = $("confianza");
    if (!el) return;
    const c = frame.confidence;
    el.textContent = interpolate(
      gettext("Aciertos seguros: %(rightSure)s · Aciertos adivinando: %(rightUnsure)s · Errores seguros: %(wrongSure)s"),
      {rightSure: c.right_sure, rightUnsure: c.right_unsure, wrongSure: c.wrong_sure}, true);
    el.hidden = false;
  }

  function addToHistory(frame) {
    if (!$("historial") || !round || frame.round !== round.round) return;
    const item = document.createElement("li");
    const text = document.createElement("span");
    text.textContent = round.question.text;
    Opciones.math(text);
    item.append(text, " — " + (Opciones.correct(frame, options) || "—"));
    $("historial").prepend(item);
    setHidden("historial-vacio", true);
  }

  /* The class's countdown; on the panel (not the projector), the extra time some students have. */
  function startCountdown() {
    clearInterval(countdown);
    const el = $("ronda-cuenta");
    el.hidden = !round.deadline;
    setHidden("tiempo-extra", true);
    if (!round.deadline) return;
    const end = Date.parse(round.deadline);
    const extraEnd = round.closes ? Date.parse(round.closes) : end;
    const secondsLeft = (until) => Math.max(0, Math.ceil((until - Date.now()) / 1000));
    const tick = () => {
      el.textContent = interpolate(gettext("Quedan %s s"), [secondsLeft(end)]);
      const extra = $("tiempo-extra");
      if (extra && extraEnd > end && Date.now() >= end) {
        extra.textContent = interpolate(gettext("Tiempo extra para algunos alumnos: %s s"), [secondsLeft(extraEnd)]);
        extra.hidden = false;
      }
    };
    tick();
    countdown = setInterval(tick, 250);
  }

  function markSent(questionId) {
    for (const li of document.querySelectorAll("#banco li[data-question]")) {
      if (Number(li.dataset.question) === questionId) li.classList.add("enviada");
    }
  }

  function nextQuestionButton() {
    const items = [...document.querySelectorAll("#banco li[data-question]")];
    const index = items.findIndex((li) => Number(li.dataset.question) === round.question.id);
    const next = items.slice(index + 1).find((li) => !li.classList.contains("enviada"));
    return next ? next.querySelector(".btn-enviar") : null;
  }

  function push(questionId) {
    const frame = {type: "push", question: questionId};
    if ($("banco").dataset.cuestionario) frame.quiz = Number($("banco").dataset.cuestionario);
    const seconds = Number($("segundos").value);
    if (seconds) frame.seconds = seconds;
    socket.send(frame);
  }

  /* The classroom takes new names or not (the teacher's `lock`). */
  let locked = false;
  function showLocked(value) {
    locked = Boolean(value);
    setHidden("aula-cerrada", !locked);
    const button = $("btn-bloquear");
    if (!button) return;
    button.setAttribute("aria-pressed", String(locked));
    button.textContent = locked ? gettext("Abrir el aula") : gettext("Cerrar el aula");
  }

  /* One student's actions: rename, remove. */
  let chosen = null;
  function openStudent(id) {
    chosen = id;
    $("alumno-nombre-nuevo").value = students.get(id).name;
    $("alumno-acciones").hidden = false;
    $("alumno-nombre-nuevo").focus();
  }

  function closeStudent() {
    chosen = null;
    $("alumno-acciones").hidden = true;
  }

  function showError(text) {
    const box = document.createElement("div");
    box.className = "alert alert-danger alert-dismissible position-fixed bottom-0 end-0 m-3";
    box.setAttribute("role", "alert");
    box.textContent = text;
    document.body.appendChild(box);
    setTimeout(() => box.remove(), 5000);
  }

  if (!$("banco")) return;  // the projector: no controls
  $("banco").addEventListener("click", (event) => {
    const button = event.target.closest(".btn-enviar");
    if (button) push(Number(button.dataset.question));
  });
  $("btn-cerrar").addEventListener("click", () => {
    if (round) socket.send({type: "close", round: round.round});
  });
  $("btn-reparto").addEventListener("click", () => {
    if (round) socket.send({type: "split", round: round.round});
  });
  $("btn-revotar").addEventListener("click", () => {
    if (round) socket.send({type: "revote", round: round.round});
  });
  $("btn-bloquear").addEventListener("click", () => socket.send({type: "lock", locked: !locked}));
  $("alumno-acciones").addEventListener("submit", (event) => {
    event.preventDefault();
    if (chosen !== null) socket.send({type: "rename", student: chosen, name: $("alumno-nombre-nuevo").value});
    closeStudent();
  });
  $("btn-quitar-alumno").addEventListener("click", () => {
    const name = chosen !== null ? students.get(chosen).name : "";
    if (chosen !== null && confirm(interpolate(gettext("¿Quitar a «%s» del aula? Sus respuestas se conservan."), [name]))) {
      socket.send({type: "remove", student: chosen});
    }
    closeStudent();
  });
  $("btn-cancelar-alumno").addEventListener("click", closeStudent);
  if ($("btn-clasificacion")) {
    $("btn-clasificacion").addEventListener("click", () => socket.send({type: "leaderboard"}));
  }
  $("btn-siguiente").addEventListener("click", () => {
    const button = nextQuestionButton();
    if (button) push(Number(button.dataset.question));
  });
})();
