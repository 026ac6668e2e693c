/* The question editor (templates/preguntas/pregunta_editar.html).
 *
 * Shows the answer of the kind chosen (true or false, options, a number), edits the option list
 * (add, remove, move; 2 to 6 rows; a radio to mark the right one, checkboxes for several, no
 * marks for a poll), draws the formulas of the statement as they are typed, and previews the
 * question as a student's phone shows it. Without this script the page still works: every
 * answer is on show, with six option rows whose empty ones are not saved.
 *
 * What the form's data-editor says of the kinds comes from PreguntaForm.editor_json; this file
 * knows no kind by name. Teachers' text goes into the page with textContent only, then
 * QRTMath.render draws its formulas (static/js/math.js).
 */
(function () {
  "use strict";
  const form = document.getElementById("editor");
  if (!form) return;
  const config = JSON.parse(form.dataset.editor);
  const gettext = window.gettext || ((text) => text);
  const say = (text, values) => text.replace(/%\((\w+)\)s/g, (_, key) => String(values[key]));
  const byId = (id) => document.getElementById(id);
  const draw = (element) => window.QRTMath && window.QRTMath.render(element);

  const list = byId("opciones");
  const addButton = byId("opcion-anadir");
  const statement = form.elements.texto;
  const explanation = form.elements.explicacion;
  const fileInput = form.elements.imagen;
  const altInput = form.elements.imagen_alt;
  const removeImage = form.elements.quitar_imagen;
  const savedImage = byId("imagen-actual");
  const status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  list.after(status);

  form.classList.add("con-js");
  for (const element of document.querySelectorAll("[data-js]")) element.hidden = false;

  const rows = () => [...list.querySelectorAll("[data-option]")];
  const shownRows = () => rows().filter((row) => !row.hidden);
  const textOf = (row) => row.querySelector("input[name=opciones]");
  const markOf = (row) => row.querySelector("input[name=opciones_correcta]");

  function kindCode() {
    const checked = form.querySelector("input[name=tipo]:checked");
    return checked && config.kinds[checked.value] ? checked.value : Object.keys(config.kinds)[0];
  }

  /* The kind: its answer on show, the others hidden; the marks as the kind takes them. */
  function showKind() {
    const answer = config.kinds[kindCode()];
    for (const section of form.querySelectorAll("[data-answer]")) section.hidden = section.dataset.answer !== answer.field;
    for (const help of form.querySelectorAll("[data-marks]")) help.hidden = help.dataset.marks !== answer.marks;
    let marked = false;
    for (const row of rows()) {
      const mark = markOf(row);
      mark.closest(".marca").hidden = !answer.marks;
      if (!answer.marks) continue;
      if (answer.marks === "radio" && mark.checked) {
        mark.checked = !marked; // one right answer: the first one marked stays
        marked = true;
      }
      mark.type = answer.marks;
    }
    preview();
  }

  /* Row numbers, the names of the row buttons, and which of them can act. */
  function renumber() {
    const shown = shownRows();
    shown.forEach((row, index) => {
      const n = index + 1;
      row.querySelector(".numero-opcion").lastChild.textContent = String(n);
      row.querySelector(".marca label").textContent = say(gettext("Correcta: opción %(n)s"), {n: n});
      const [up, down, remove] = row.querySelectorAll("[data-js] button");
      up.setAttribute("aria-label", say(gettext("Subir la opción %(n)s"), {n: n}));
      down.setAttribute("aria-label", say(gettext("Bajar la opción %(n)s"), {n: n}));
      remove.setAttribute("aria-label", say(gettext("Quitar la opción %(n)s"), {n: n}));
      up.disabled = index === 0;
      down.disabled = index === shown.length - 1;
      remove.disabled = shown.length <= config.minOptions;
    });
    addButton.disabled = shown.length >= config.maxOptions;
  }

  /* The empty rows after the last filled one wait hidden for «Añadir opción». */
  function foldEmptyRows() {
    const all = rows();
    let keep = config.minOptions;
    all.forEach((row, index) => {
      if (textOf(row).value.trim()) keep = Math.max(keep, index + 1);
    });
    all.forEach((row, index) => {
      row.hidden = index >= keep;
    });
  }

  function move(row, button, step) {
    const shown = shownRows();
    const to = shown.indexOf(row) + step;
    if (to < 0 || to >= shown.length) return;
    shown[to].insertAdjacentElement(step < 0 ? "beforebegin" : "afterend", row);
    renumber();
    const other = row.querySelector(`[data-move="${-step}"]`);
    (button.disabled ? other : button).focus(); // at the top or the bottom, the other arrow
    status.textContent = say(gettext("Ahora es la opción %(n)s."), {n: shownRows().indexOf(row) + 1});
  }

  function remove(row) {
    const shown = shownRows();
    if (shown.length <= config.minOptions) return;
    const index = shown.indexOf(row);
    textOf(row).value = "";
    markOf(row).checked = false;
    row.hidden = true;
    list.append(row); // the hidden rows wait at the end
    renumber();
    const next = shownRows()[Math.min(index, shownRows().length - 1)];
    textOf(next).focus();
    status.textContent = gettext("Opción quitada.");
  }

  function add() {
    const row = rows().find((candidate) => candidate.hidden);
    if (!row) return;
    const shown = shownRows();
    shown[shown.length - 1].after(row);
    row.hidden = false;
    renumber();
    textOf(row).focus();
  }

  list.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button || button.disabled) return;
    const row = button.closest("[data-option]");
    if (button.dataset.move) move(row, button, Number(button.dataset.move));
    else if (button.hasAttribute("data-remove")) remove(row);
    preview();
  });
  addButton.addEventListener("click", () => {
    add();
    preview();
  });

  /* The formulas of the statement, drawn under it as they are typed. */
  function drawStatement() {
    const hint = byId("texto-formulas");
    const view = byId("texto-vista");
    const hasMath = /\\\(|\\\[/.test(statement.value);
    hint.hidden = !hasMath;
    if (!hasMath) return;
    view.textContent = statement.value;
    draw(view);
  }

  /* The image: the one chosen now (read here, never sent anywhere), else the saved one. */
  let chosenImage = "";
  function readChosenImage() {
    chosenImage = "";
    const file = fileInput.files && fileInput.files[0];
    if (file && /^image\/(jpeg|png|webp|gif)$/.test(file.type)) {
      const reader = new FileReader();
      reader.addEventListener("load", () => {
        chosenImage = String(reader.result);
        preview();
      });
      reader.readAsDataURL(file);
    }
    preview();
  }

  function imageOnShow() {
    if (fileInput.files && fileInput.files.length) return chosenImage;
    if (savedImage && !(removeImage && removeImage.checked)) return savedImage.getAttribute("src");
    return "";
  }

  /* The question as a student's phone shows it. */
  function answerButton(label, icon, tone) {
    const button = document.createElement("div");
    button.className = `btn btn-${tone} btn-lg btn-respuesta text-start`;
    const mark = document.createElement("span");
    mark.setAttribute("aria-hidden", "true");
    mark.textContent = icon ? icon + " " : "";
    const text = document.createElement("span");
    text.textContent = label;
    button.append(mark, text);
    return button;
  }

  function preview() {
    const answer = config.kinds[kindCode()];
    const text = byId("movil-texto");
    text.textContent = statement.value.trim() || gettext("(Escribe el enunciado)");
    draw(text);

    const image = byId("movil-imagen");
    const source = imageOnShow();
    image.hidden = !source;
    if (source) image.src = source;
    else image.removeAttribute("src");
    image.alt = altInput.value.trim();
    altInput.required = Boolean(source);

    const answers = byId("movil-respuestas");
    answers.replaceChildren();
    if (answer.field === "opciones") {
      shownRows()
        .map((row) => textOf(row).value.trim())
        .filter(Boolean)
        .forEach((label, index) => {
          answers.append(answerButton(label, config.icons[index % config.icons.length], config.tones[index % config.tones.length]));
        });
    } else if (answer.field === "numero") {
      const box = document.createElement("div");
      box.className = "respuesta-numero";
      box.textContent = gettext("Tu respuesta: un número");
      answers.append(box);
    } else {
      for (const button of answer.buttons) answers.append(answerButton(button.label, button.icon, button.tone));
    }
    draw(answers);

    const why = byId("movil-explicacion");
    const whyText = byId("movil-explicacion-texto");
    why.hidden = !explanation.value.trim();
    whyText.textContent = explanation.value.trim();
    draw(whyText);
  }

  let pending = 0;
  function later() {
    window.clearTimeout(pending);
    pending = window.setTimeout(() => {
      drawStatement();
      preview();
    }, 150);
  }

  form.addEventListener("input", (event) => {
    if (event.target === fileInput) return;
    later();
  });
  form.addEventListener("change", (event) => {
    if (event.target.name === "tipo") showKind();
    else if (event.target === fileInput) readChosenImage();
    else preview();
  });

  foldEmptyRows();
  renumber();
  showKind();
  drawStatement();
})();
