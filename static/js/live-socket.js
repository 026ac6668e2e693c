/* A WebSocket to a classroom that reconnects by itself (docs/protocol.md).
 *
 * new LiveSocket(code, {onOpen, onFrame, onStatus, onFatal})
 *   onStatus(status): "connecting" | "open" | "reconnecting"
 *   onFatal(closeCode): the server refused us for good (unknown classroom, seat freed); no retry.
 */
(function () {
  "use strict";
  // Close codes after which reconnecting is pointless (docs/protocol.md).
  const SEAT_FREED = 4401;  // the teacher freed this student's seat
  const REMOVED = 4403;     // the teacher removed this student
  const NOT_FOUND = 4404;   // no such classroom
  const FATAL_CODES = new Set([SEAT_FREED, REMOVED, NOT_FOUND]);

  class LiveSocket {
    constructor(code, handlers) {
      this.url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host +
        "/ws/aula/" + encodeURIComponent(code) + "/";
      this.handlers = handlers;
      this.attempt = 0;
      this.stopped = false;
      this.connect();
    }

    connect() {
      this.status(this.attempt === 0 ? "connecting" : "reconnecting");
      const ws = new WebSocket(this.url);
      this.ws = ws;
      ws.onopen = () => {
        this.attempt = 0;
        this.status("open");
        if (this.handlers.onOpen) this.handlers.onOpen();
      };
      ws.onmessage = (event) => {
        let frame;
        try { frame = JSON.parse(event.data); } catch (e) { return; }
        this.handlers.onFrame(frame);
      };
      ws.onclose = (event) => {
        if (this.ws !== ws) return;
        if (FATAL_CODES.has(event.code)) {
          this.stopped = true;
          if (this.handlers.onFatal) this.handlers.onFatal(event.code);
          return;
        }
        if (this.stopped) return;
        this.attempt += 1;
        this.status("reconnecting");
        // Back off up to 5 s, with jitter so a class does not reconnect in lockstep.
        const delay = Math.min(5000, 300 * 2 ** Math.min(this.attempt, 5)) * (0.5 + Math.random() / 2);
        setTimeout(() => this.connect(), delay);
      };
    }

    status(value) {
      if (this.handlers.onStatus) this.handlers.onStatus(value);
    }

    send(frame) {
      if (this.isOpen()) {
        this.ws.send(JSON.stringify(frame));
        return true;
      }
      return false;
    }

    isOpen() {
      return Boolean(this.ws && this.ws.readyState === WebSocket.OPEN);
    }

    stop() {
      this.stopped = true;
      if (this.ws) this.ws.close();
    }
  }

  LiveSocket.SEAT_FREED = SEAT_FREED;
  LiveSocket.REMOVED = REMOVED;
  LiveSocket.NOT_FOUND = NOT_FOUND;
  window.LiveSocket = LiveSocket;
})();
