/* The student's answer page: join, wait, answer, see the outcome.
 * User text (questions, names) is only ever set with textContent. */
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const STATES = ["unirse", "elegir", "esperando", "pregunta", "resultado"];
  const RESULT_SECONDS = 8;

  let socket = null;
  let code = "";
  let pendingName = null;   // name to join with once the socket opens ("" to pick from the roster)
  let round = null;         // the open round: {round, question, kind, options, image, deadline, your_deadline}
  let options = [];         // the open round's options, as Opciones.of draws them
  let myAnswer = null;      // this student's answer to the open round (as its kind sends it), or null
  let picked = [];          // a multiple-select answer being put together
  let joined = false;       // joined on the current connection
  let queued = null;        // {round, field, value, sure}: an answer not yet acknowledged, resent after a reconnect
  let countdown = null;
  let backToWaiting = null;
  let closedRound = null;   // the `closed` frame of our round, until our `result` comes
  let resultTimer = null;
  let resendTimer = null;
  let renaming = false;     // a change_name we sent, until it is answered
  const RESEND_MS = 2000;   // about how long after `unavailable` an answer is sent again
  const RESULT_WAIT_MS = 1500;  // how long a `closed` waits for our `result` before showing without it
  let notActive = null;     // the server's word that the classroom is archived, before it closes us

  const tokenKey = (c) => "qrt-token-" + c;
  const queueKey = (c) => "qrt-queued-" + c;

  function setQueued(value) {
    queued = value;
    if (value) localStorage.setItem(queueKey(code), JSON.stringify(value));
    else localStorage.removeItem(queueKey(code));
  }

  function show(state) {
    for (const s of STATES) $("estado-" + s).hidden = s !== state;
    if (state !== "resultado" && state !== "esperando") $("marcador").hidden = true;
  }

  const answerButtons = () => [...document.querySelectorAll(".btn-respuesta")];
  const buttonValue = (button) => JSON.parse(button.dataset.value);
  const sameValue = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  const kindOf = (payload) => (payload && payload.kind) || "tf";

  /* How an answer reads: its option's text (or several, or the number). */
  const answerWord = (value) => Opciones.word(options, value);

  /* The answer buttons of the round's kind: one per option; a multiple select toggles them and
   * sends with «Enviar»; a number is typed. */
  function buildAnswers(payload) {
    const kind = kindOf(payload);
    options = Opciones.of(payload);
    picked = [];
    const box = $("respuestas");
    box.replaceChildren();
    for (const o of options) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-" + o.tone + " btn-lg btn-respuesta";
      button.dataset.option = o.key;
      button.dataset.value = JSON.stringify(o.value);
      const text = document.createElement("span");
      text.className = "opcion-texto";
      text.textContent = o.label;
      button.append(o.icon + " ", text);
      Opciones.math(text);
      button.addEventListener("click", () => choose(button));
      box.appendChild(button);
    }
    $("varias-ayuda").hidden = kind !== "multi";
    $("btn-enviar-varias").hidden = kind !== "multi";
    $("form-numero").hidden = kind !== "number";
    $("numero").value = "";
    $("numero-error").textContent = "";
  }

  function choose(button) {
    if (!round || myAnswer !== null) return;
    const value = buttonValue(button);
    if (kindOf(round) === "multi") {
      picked = picked.includes(value) ? picked.filter((v) => v !== value) : [...picked, value];
      renderAnswer();
      return;
    }
    sendAnswer(value);
  }

  function sendAnswer(value) {
    const sure = !$("no-seguro").checked;
    const field = Opciones.FIELD[kindOf(round)];
    setQueued({round: round.round, field: field, value: value, sure: sure});  // until the server acknowledges it
    if (joined) sendFrame(queued);
    renderAnswer();
  }

  const sendFrame = (q) => socket.send({type: "answer", round: q.round, [q.field || "value"]: q.value, sure: q.sure});

  function joinError(text) {
    $("reconectando").hidden = true;
    $("error-unirse").textContent = text;
    $("error-unirse").hidden = false;
    show("unirse");
  }

  function connect(newCode) {
    if (socket) socket.stop();
    code = newCode;
    notActive = null;
    localStorage.setItem("qrt-last-code", code);
    try { queued = JSON.parse(localStorage.getItem(queueKey(code))); } catch (e) { queued = null; }
    socket = new LiveSocket(code, {
      onOpen() {
        joined = false;
        const token = localStorage.getItem(tokenKey(code));
        if (token) socket.send({type: "join", token: token});
        else if (pendingName !== null) socket.send({type: "seats"});
      },
      onStatus(status) {
        if (status !== "open") joined = false;
        if (round) renderAnswer();
        // Shown while the socket is down; hidden once `state` has brought the page up to date.
        if (status === "reconnecting") $("reconectando").hidden = false;
      },
      onFatal(closeCode) {
        if (closeCode === LiveSocket.SEAT_FREED) {
          // The teacher freed our seat (or removed us): this device joins again from scratch.
          localStorage.removeItem(tokenKey(code));
          setQueued(null);
          pendingName = "";
          $("error-elegir").textContent = gettext("Tu docente ha liberado tu puesto: vuelve a elegir tu nombre.");
          $("error-elegir").hidden = false;
          connect(code);
          return;
        }
        if (closeCode === LiveSocket.REMOVED) {
          localStorage.removeItem(tokenKey(code));
          setQueued(null);
          joinError(gettext("Tu docente te ha quitado del aula."));
          return;
        }
        localStorage.removeItem("qrt-last-code");
        joinError(notActive || gettext("No existe ningún aula con ese código."));
      },
      onFrame: handle,
    });
  }

  function handle(frame) {
    switch (frame.type) {
      case "joined":
        joined = true;
        localStorage.setItem(tokenKey(code), frame.token);
        $("alumno-nombre").textContent = frame.student.name;
        if (frame.asked_name) {
          $("aviso-espera").textContent = interpolate(
            gettext("Ya había alguien llamado «%(asked)s» en el aula: tú eres «%(name)s»."),
            {asked: frame.asked_name, name: frame.student.name}, true);
        }
        if (!$("estado-elegir").hidden) show("esperando");
        break;
      case "renamed":
        $("alumno-nombre").textContent = frame.student.name;
        if (renaming) {
          renaming = false;
          $("aviso-espera").textContent = interpolate(gettext("Ahora eres «%s»."), [frame.student.name]);
          break;
        }
        $("aviso-espera").textContent = interpolate(
          gettext("Tu docente ha cambiado tu nombre: ahora eres «%s»."), [frame.student.name]);
        break;
      case "seats":
        $("elegir-aula").textContent = frame.classroom.name;
        if (!joined) chooseSeat(frame.seats);
        break;
      case "deadline":
        if (round && frame.round === round.round) {
          round.your_deadline = frame.deadline;
          startCountdown(Date.parse(frame.deadline));
        }
        break;
      case "rank":
        $("mi-puesto").textContent = Clasificacion.rankText(frame);
        $("mi-puesto").hidden = false;
        showScoreboard();
        break;
      case "leaderboard":
        Clasificacion.renderTop($("top-lista"), frame);
        $("top").hidden = false;
        showScoreboard();
        break;
      case "state":
        $("reconectando").hidden = true;
        if (frame.classroom) $("aula-nombre").textContent = frame.classroom.name;
        myAnswer = frame.answered ? frame.value : null;
        if (frame.round) showQuestion(frame.round);
        else if (frame.result && $("estado-resultado").hidden) showStoredResult(frame.result);
        else if ($("estado-resultado").hidden) show("esperando");
        sendQueued(frame);
        break;
      case "question":
        myAnswer = null;
        showQuestion(frame);
        break;
      case "split": {
        const votes = frame.histogram
          ? frame.histogram.map((b) => Opciones.number(b.from) + "–" + Opciones.number(b.to) + ": " + b.n)
          : options.map((o) => o.label + " " + Opciones.count(frame, o.key));
        $("reparto").textContent = interpolate(gettext("La clase ha votado: %s"), [votes.join(" · ")]);
        $("reparto").hidden = false;
        break;
      }
      case "answered":
        if (queued && queued.round === frame.round) setQueued(null);
        if (round && frame.round === round.round) {
          myAnswer = frame[Opciones.FIELD[kindOf(round)]];
          renderAnswer();
        }
        break;
      case "closed":
        if (queued && queued.round === frame.round) setQueued(null);
        if (round && frame.round === round.round) {
          closedRound = frame;
          clearInterval(countdown);
          if (myAnswer === null) showResult(null);
          else resultTimer = setTimeout(() => showResult(null), RESULT_WAIT_MS);
        }
        break;
      case "result":
        if (closedRound && frame.round === closedRound.round) showResult(frame);
        break;
      case "error":
        handleError(frame);
        break;
    }
  }

  function handleError(frame) {
    if (renaming) {  // our own change of name was refused: say why, and stay
      renaming = false;
      $("aviso-espera").textContent = frame.detail;
      return;
    }
    if (frame.code === "archived") notActive = frame.detail;  // the 4404 close follows
    else if (frame.code === "not_found" && !joined && localStorage.getItem(tokenKey(code))) {
      // Our saved token is not valid in this classroom (or the teacher freed our seat): join again.
      localStorage.removeItem(tokenKey(code));
      if (pendingName === null) pendingName = "";
      socket.send({type: "seats"});
    } else if (frame.code === "seat_taken" || frame.code === "not_on_roster" || (frame.code === "not_found" && !joined)) {
      pendingName = "";  // pick from the roster instead
      $("error-elegir").textContent = frame.detail;
      $("error-elegir").hidden = false;
      socket.send({type: "seats"});
    } else if (frame.code === "invalid" || frame.code === "full" || frame.code === "locked") {
      socket.stop();
      joinError(frame.detail);
    } else if (frame.code === "already_answered" || frame.code === "round_closed") {
      setQueued(null);
      renderAnswer();
      $("estado-envio").textContent = frame.detail;
    } else if (frame.code === "unavailable") {
      // The server could not store our answer: it stays queued, and goes again in a moment.
      clearTimeout(resendTimer);
      resendTimer = setTimeout(sendQueuedAgain, RESEND_MS * (0.5 + Math.random()));
    }
  }

  function sendQueuedAgain() {
    if (queued && joined && round && queued.round === round.round) sendFrame(queued);
  }

  /* Before joining: with no roster, join with the typed name; with one, take the seat of that
   * name (the server matches it) or show the roster to pick from. */
  function chooseSeat(seats) {
    if (!seats.length) {
      if (pendingName) socket.send({type: "join", name: pendingName});
      else { socket.stop(); joinError(gettext("Escribe el código del aula y tu nombre.")); }
      return;
    }
    if (pendingName) {
      socket.send({type: "join", name: pendingName});
      pendingName = "";
      return;
    }
    const box = $("puestos");
    box.replaceChildren();
    for (const seat of seats) {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-outline-primary btn-lg btn-tap text-start w-100";
      button.textContent = seat.name;
      if (seat.taken) {
        button.disabled = true;
        const note = document.createElement("small");
        note.className = "ms-2 text-secondary";
        note.textContent = gettext("(en uso)");
        button.appendChild(note);
      }
      button.addEventListener("click", () => {
        $("error-elegir").hidden = true;
        socket.send({type: "join", seat: seat.id});
      });
      item.appendChild(button);
      box.appendChild(item);
    }
    $("reconectando").hidden = true;
    show("elegir");
    const first = box.querySelector("button:not(:disabled)");
    if (first) first.focus();
  }

  function showScoreboard() {
    if (!$("estado-resultado").hidden || !$("estado-esperando").hidden) $("marcador").hidden = false;
  }

  /* After a (re)join: send the answer given while offline if its round is still open. */
  function sendQueued(state) {
    if (!queued) return;
    const stillOpen = state.round && state.round.round === queued.round;
    if (stillOpen && !state.answered) {
      sendFrame(queued);
      renderAnswer();
      return;
    }
    setQueued(null);
    if (!stillOpen) {
      $("aviso-espera").textContent = gettext("La pregunta se cerró antes de recuperar la conexión: tu respuesta no se envió.");
    }
  }

  function showQuestion(payload) {
    clearTimeout(backToWaiting);
    clearTimeout(resultTimer);
    closedRound = null;
    $("aviso-espera").textContent = "";
    const fresh = !round || round.round !== payload.round;
    if (fresh) {
      $("no-seguro").checked = false;
      $("segunda").hidden = !payload.previous;
      if (!payload.previous) $("reparto").hidden = true;  // a second vote keeps the first one's split
    }
    round = payload;
    $("pregunta-texto").textContent = payload.question.text;
    Opciones.math($("pregunta-texto"));
    showImage($("pregunta-imagen"), payload.image);
    if (fresh || !answerButtons().length) buildAnswers(payload);
    renderAnswer();
    const deadline = payload.your_deadline || payload.deadline;
    startCountdown(deadline ? Date.parse(deadline) : null);
    show("pregunta");
    $("mi-puesto").hidden = true;
    $("top").hidden = true;
  }

  function showImage(img, image) {
    img.hidden = !image;
    if (image) { img.src = image.url; img.alt = image.alt; } else img.removeAttribute("src");
  }

  function renderAnswer() {
    const waiting = myAnswer === null && queued && round && queued.round === round.round ? queued.value : null;
    const chosen = myAnswer !== null ? myAnswer : waiting;
    const shown = chosen !== null ? chosen : (kindOf(round) === "multi" ? picked : null);
    for (const button of answerButtons()) {
      const value = buttonValue(button);
      const on = shown !== null && (Array.isArray(shown) ? shown.includes(value) : sameValue(value, shown));
      button.disabled = chosen !== null;
      button.classList.toggle("elegida", on);
      button.setAttribute("aria-pressed", String(on));
    }
    $("btn-enviar-varias").disabled = chosen !== null || !picked.length;
    for (const el of $("form-numero").elements) el.disabled = chosen !== null;
    if (chosen !== null && kindOf(round) === "number") $("numero").value = Opciones.number(chosen);
    $("no-seguro").disabled = chosen !== null;
    let status = "";
    if (myAnswer !== null) status = interpolate(gettext("Respuesta enviada: %s"), [answerWord(myAnswer)]);
    else if (waiting !== null && socket && socket.isOpen()) status = gettext("Enviando…");
    else if (waiting !== null) {
      status = interpolate(gettext("Sin conexión: enviaremos «%s» en cuanto vuelva la conexión."), [answerWord(waiting)]);
    }
    $("estado-envio").textContent = status;
  }

  function startCountdown(end) {
    clearInterval(countdown);
    const el = $("cuenta-atras");
    el.hidden = !end;
    if (!end) return;
    const tick = () => {
      const left = Math.max(0, Math.ceil((end - Date.now()) / 1000));
      el.textContent = left ? interpolate(gettext("Quedan %s s"), [left]) : gettext("Se acabó el tiempo");
      if (left === 0) {
        clearInterval(countdown);
        if (myAnswer === null && !(queued && round && queued.round === round.round)) {
          for (const button of answerButtons()) button.disabled = true;
          $("btn-enviar-varias").disabled = true;
          for (const el of $("form-numero").elements) el.disabled = true;
        }
      }
    };
    tick();
    countdown = setInterval(tick, 250);
  }

  /* The closed round's outcome for this student: `result` says whether our answer was right
   * (null: we did not answer, or it did not come). */
  function showResult(result) {
    clearTimeout(resultTimer);
    renderResult({
      ...closedRound, question: round.question, value: myAnswer, right: result ? result.right : null,
    }, options);
    closedRound = null;
    round = null;
    myAnswer = null;
  }

  /* After a reload: the result of the round that just closed, as `state` brought it. */
  function showStoredResult(result) {
    round = null;
    myAnswer = null;
    options = Opciones.of(result);
    renderResult(result, options);
  }

  /* The question, this student's answer and the right one, once; `right` as the server said
   * (null: no answer, or its `result` did not come). */
  function renderResult(r, opts) {
    const title = $("resultado-titulo");
    title.classList.remove("text-success", "text-danger");
    if (r.value === null) {
      title.textContent = gettext("Sin respuesta");
    } else if (r.right === true) {
      title.textContent = gettext("¡Correcto!");
      title.classList.add("text-success");
    } else if (r.right === false) {
      title.textContent = gettext("Incorrecto");
      title.classList.add("text-danger");
    } else {
      title.textContent = gettext("Respuesta enviada");
    }
    $("resultado-pregunta").textContent = r.question.text;
    Opciones.math($("resultado-pregunta"));
    $("resultado-tuya").textContent = r.value === null ? "" : interpolate(gettext("Tu respuesta: %s"), [Opciones.word(opts, r.value)]);
    const correct = Opciones.correct(r, opts);
    // A poll has no right answer: nothing to tell.
    $("resultado-detalle").textContent = correct ? interpolate(gettext("La respuesta era %s"), [correct]) : "";
    Opciones.math($("resultado-detalle"));
    const explanation = $("resultado-explicacion");
    explanation.textContent = r.explanation || "";
    explanation.hidden = !r.explanation;
    Opciones.math(explanation);
    clearTimeout(backToWaiting);
    show("resultado");
    backToWaiting = setTimeout(() => show("esperando"), RESULT_SECONDS * 1000);
  }

  $("btn-enviar-varias").addEventListener("click", () => {
    if (round && myAnswer === null && picked.length) sendAnswer([...picked].sort((a, b) => a - b));
  });

  $("form-numero").addEventListener("submit", (event) => {
    event.preventDefault();
    if (!round || myAnswer !== null) return;
    // A decimal comma is how Spanish writes 3,14; the server checks the number itself.
    const typed = $("numero").value.trim().replace(/\s/g, "").replace(",", ".");
    const value = Number(typed);
    if (!typed || !Number.isFinite(value)) {
      $("numero-error").textContent = gettext("Escribe un número, por ejemplo 3,14.");
      return;
    }
    $("numero-error").textContent = "";
    sendAnswer(value);
  });

  $("form-unirse").addEventListener("submit", (event) => {
    event.preventDefault();
    const newCode = $("codigo").value.trim().toUpperCase();
    const name = $("nombre").value.trim();
    $("error-unirse").hidden = true;
    $("error-elegir").hidden = true;
    if (!newCode) {
      joinError(gettext("Escribe el código del aula y tu nombre."));
      return;
    }
    pendingName = name;
    show("esperando");
    connect(newCode);
  });

  /* Leave: this device forgets who it was and goes back to the join screen. */
  $("btn-cambiar-nombre").addEventListener("click", () => {
    const form = $("form-nombre");
    form.hidden = !form.hidden;
    $("btn-cambiar-nombre").setAttribute("aria-expanded", String(!form.hidden));
    if (!form.hidden) {
      $("nombre-nuevo").value = $("alumno-nombre").textContent;
      $("nombre-nuevo").focus();
    }
  });
  $("form-nombre").addEventListener("submit", (event) => {
    event.preventDefault();
    if (!joined) return;
    renaming = true;
    socket.send({type: "change_name", name: $("nombre-nuevo").value});
    $("form-nombre").hidden = true;
    $("btn-cambiar-nombre").setAttribute("aria-expanded", "false");
  });

  $("btn-salir").addEventListener("click", () => {
    if (!window.confirm(gettext("¿Salir del aula? Para volver tendrás que unirte otra vez."))) return;
    if (socket) socket.stop();
    localStorage.removeItem(tokenKey(code));
    localStorage.removeItem("qrt-last-code");
    setQueued(null);
    joined = false;
    round = null;
    myAnswer = null;
    $("nombre").value = "";
    show("unirse");
    $("nombre").focus();
  });

  $("btn-volver").addEventListener("click", () => {
    if (socket) socket.stop();
    show("unirse");
    $("nombre").focus();
  });

  // After a reload, come back as the same student without asking again.
  const lastCode = $("codigo").value.trim().toUpperCase() || localStorage.getItem("qrt-last-code");
  if (lastCode && localStorage.getItem(tokenKey(lastCode))) {
    show("esperando");
    connect(lastCode);
  } else {
    show("unirse");
    if ($("codigo").value) $("nombre").focus(); else $("codigo").focus();
  }
})();
