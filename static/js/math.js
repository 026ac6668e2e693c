/* Math in question texts: \( … \) inline and \[ … \] on a line of its own, drawn by KaTeX
 * (vendored under static/vendor/katex/, included by templates/preguntas/_math.html).
 *
 * User text is never HTML: a page puts it in with textContent, then calls
 * QRTMath.render(element). KaTeX's auto-render reads the element's text nodes and replaces only
 * the delimited formulas, so everything else stays text; a formula with a mistake shows in red,
 * as typed. On load, every element with a data-math attribute is rendered.
 *
 * This file is loaded without defer, so that QRTMath exists for any script after it; KaTeX
 * itself is deferred, and what is asked before it arrives is drawn as soon as it has.
 */
window.QRTMath = (function () {
  "use strict";

  const OPTIONS = {
    delimiters: [
      {left: "\\(", right: "\\)", display: false},
      {left: "\\[", right: "\\]", display: true},
    ],
    throwOnError: false,
    trust: false, // no \href, \url, \includegraphics, \htmlClass…
    strict: "ignore", // accents and other letters in a formula are fine in a classroom
    maxSize: 20, // em: no \rule or \hspace wider than a screen
    errorCallback: function () {}, // the red formula says it; the console needs no copy
  };

  const pending = [];

  function ready() {
    return typeof window.renderMathInElement === "function";
  }

  /* KaTeX sets a few inline styles with setAttribute("style", …) (the red of a mistake, the
   * width of some tall delimiters), which the Content-Security-Policy (style-src 'self', no
   * inline styles) refuses. While KaTeX draws, those go through the CSSOM instead, which the
   * policy allows: the same styles, and the policy stays as strict for everything else. */
  function withStylesThroughCssom(draw) {
    const setAttribute = Element.prototype.setAttribute;
    Element.prototype.setAttribute = function (name, value) {
      if (String(name).toLowerCase() === "style" && this.style) {
        this.style.cssText = value;
        return;
      }
      setAttribute.call(this, name, value);
    };
    try {
      draw();
    } finally {
      Element.prototype.setAttribute = setAttribute;
    }
  }

  function render(element) {
    if (!element) return;
    if (!ready()) {
      if (!pending.includes(element)) pending.push(element);
      return;
    }
    withStylesThroughCssom(function () {
      window.renderMathInElement(element, OPTIONS);
    });
  }

  function renderAll(root) {
    for (const element of (root || document).querySelectorAll("[data-math]")) render(element);
  }

  function start() {
    if (!ready()) return; // KaTeX did not load: the formulas stay as typed
    for (const element of pending.splice(0)) render(element);
    renderAll(document);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else window.setTimeout(start, 0);

  return {render: render, renderAll: renderAll, options: OPTIONS};
})();
