/* What the live pages need to show any question kind (docs/protocol.md, `kind`): the options
 * a round offers, how its counts and answers read. The server decides every rule (what is
 * right, what counts); this only displays what it sent.
 *
 * Opciones.of(payload)      -> [{key, label, value, icon, tone}] for the round's kind
 * Opciones.count(frame, key)-> the answers under that option in a tally/split/closed frame
 * Opciones.word(opts, value)-> how an answer reads (an option's text, several, a number)
 * Opciones.correct(frame, opts) -> how the right answer of a `closed` frame (or a result) reads
 * Opciones.FIELD[kind]      -> the `answer` frame's field that carries the answer
 * Opciones.math(element)    -> render the math in an element set with textContent
 */
(function () {
  "use strict";
  const json = (id) => JSON.parse(document.getElementById(id).textContent);
  const TRUE_FALSE = json("opciones-vf");  // [{key, label, value, icon, tone}] from the server
  const LOOKS = json("opciones-aspecto");  // {icons: [...], tones: [...]}: one per option, in order

  const FIELD = {tf: "value", choice: "option", poll: "option", multi: "options", number: "number"};

  function of(payload) {
    const kind = payload.kind || "tf";
    if (kind === "tf") return TRUE_FALSE;
    return (payload.options || []).map((o, i) => ({
      key: String(o.id), label: o.text, value: o.id,
      icon: LOOKS.icons[i % LOOKS.icons.length], tone: LOOKS.tones[i % LOOKS.tones.length],
    }));
  }

  function count(frame, key) {
    const counts = frame.options || frame;
    return counts[key] || 0;
  }

  function number(x) {
    return Number(x).toLocaleString(document.documentElement.lang || undefined, {maximumFractionDigits: 10});
  }

  function word(opts, value) {
    if (value === null || value === undefined) return "";
    if (typeof value === "number" && !opts.length) return number(value);
    const label = (v) => { const o = opts.find((x) => x.value === v); return o ? o.label : String(v); };
    return Array.isArray(value) ? value.map(label).join("; ") : label(value);
  }

  function correct(frame, opts) {
    if (frame.correct_number !== undefined && frame.correct_number !== null) {
      return frame.tolerance ? number(frame.correct_number) + " ± " + number(frame.tolerance) : number(frame.correct_number);
    }
    return frame.right_options.map((key) => { const o = opts.find((x) => x.key === key); return o ? o.label : key; }).join(", ");
  }

  function math(element) {
    if (window.QRTMath && element) window.QRTMath.render(element);
  }

  window.Opciones = {of, count, word, correct, number, math, FIELD};
})();
