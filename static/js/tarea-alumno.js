// The student's homework page. Everything is decided by the server; this only
// - offers the token this device already holds for the classroom (the live page keeps it), so
//   that the same student goes on with the homework, and
// - counts down the seconds the server said are left (the server enforces them).
(function () {
  "use strict";
  const join = document.getElementById("form-unirse");
  if (join) {
    let token = null;
    try { token = localStorage.getItem("qrt-token-" + join.dataset.code); } catch (e) { token = null; }
    const field = document.getElementById("token");
    if (token && field) field.value = token;
  }
  const timer = document.getElementById("cuenta-atras");
  if (timer) {
    let left = Number(timer.dataset.seconds);
    const end = Date.now() + left * 1000;
    const tick = function () {
      left = Math.max(0, Math.round((end - Date.now()) / 1000));
      timer.textContent = left > 0 ? interpolate(gettext("Te quedan %s s"), [left]) : gettext("Se acabó el tiempo");
      if (left > 0) setTimeout(tick, 1000);
    };
    setTimeout(tick, 1000);
  }
})();
