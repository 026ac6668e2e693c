/* Question bank search box: picking a topic submits the form (no inline handlers: CSP). */
(function () {
  "use strict";
  for (const select of document.querySelectorAll("select[data-autosubmit]")) {
    select.addEventListener("change", () => {
      if (select.form.requestSubmit) select.form.requestSubmit();
      else select.form.submit();
    });
  }
})();
