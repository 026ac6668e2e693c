// A homework's page for the teacher: the progress table refreshes itself every few seconds
// from the server's JSON (views/homework.py, tarea_progreso). Names go in as text only.
(function () {
  "use strict";
  const summary = document.getElementById("progreso-resumen");
  const body = document.querySelector("#progreso tbody");
  if (!summary || !body) return;
  const total = Number(summary.dataset.total);
  const EVERY_MS = 4000;

  function cell(tag, text, className) {
    const el = document.createElement(tag);
    el.textContent = text;
    if (className) el.className = className;
    return el;
  }

  function state(student) {
    if (student.finished) return gettext("terminada");
    return student.started ? gettext("en curso") : gettext("sin empezar");
  }

  function draw(data) {
    summary.textContent = interpolate(gettext("Han empezado %(started)s · han terminado %(finished)s"), data, true);
    const rows = data.students.map(function (s) {
      const tr = document.createElement("tr");
      tr.dataset.student = s.id;
      const name = cell("th", s.name, "fw-normal text-break");
      name.scope = "row";
      tr.append(
        name,
        cell("td", state(s), "estado"),
        cell("td", s.started ? s.answered + " / " + total : "–", "respondidas"),
        cell("td", s.score === null ? "–" : String(s.score), "aciertos fw-bold"),
        cell("td", String(s.attempts), "intentos"),
      );
      return tr;
    });
    if (rows.length) body.replaceChildren(...rows);
  }

  function refresh() {
    fetch(summary.dataset.url, {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) draw(data); })
      .catch(function () { /* the next refresh tries again */ })
      .finally(function () { setTimeout(refresh, EVERY_MS); });
  }
  setTimeout(refresh, EVERY_MS);
})();
