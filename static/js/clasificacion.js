/* The leaderboard, as the student page, the panel and the projector show it (docs/protocol.md:
 * `leaderboard` and `rank` frames). Names are set with textContent only. */
(function () {
  "use strict";

  function scoreText(entry) {
    let text = interpolate(ngettext("%s acierto", "%s aciertos", entry.right), [entry.right]);
    if (entry.points !== undefined) {
      text += " · " + interpolate(ngettext("%s punto", "%s puntos", entry.points), [entry.points.toLocaleString()]);
    }
    return text;
  }

  window.Clasificacion = {
    /* Fill an <ol> with the top places of a `leaderboard` frame. */
    renderTop(list, frame) {
      list.replaceChildren();
      for (const entry of frame.top) {
        const item = document.createElement("li");
        const place = document.createElement("strong");
        place.textContent = entry.rank + "º ";
        const name = document.createElement("span");
        name.className = "nombre";
        name.textContent = entry.name;
        item.append(place, name, " — " + scoreText(entry));
        list.appendChild(item);
      }
    },

    /* A student's own place, from a `rank` frame. */
    rankText(frame) {
      return interpolate(gettext("Vas %(rank)sº de %(of)s"), frame, true) + " · " + scoreText(frame);
    },
  };
})();
