/* A form with data-confirm asks before it is sent: destructive actions ask first
 * (no inline handlers: CSP). The question is the server's text, read as text. */
(function () {
  "use strict";
  document.addEventListener("submit", (event) => {
    const form = event.target;
    const submitter = event.submitter;
    const question = (submitter && submitter.dataset.confirm) || form.dataset.confirm;
    if (question && !window.confirm(question)) event.preventDefault();
  });
})();
