/* The draft PDF and publishing pages (templates/reports/pdf_status.html, publish_status.html): poll the status, move the
   progress bar, offer the file when it is ready and the Thai error with a retry when it failed.
   No inline script: the Content-Security-Policy allows scripts from this site only. */
(function () {
  "use strict";
  var box = document.getElementById("pdf-render");
  if (!box || !window.fetch) return;
  var url = box.getAttribute("data-status-url");
  var waiting = box.querySelector("[data-render-waiting]");
  var done = box.querySelector("[data-render-done]");
  var failed = box.querySelector("[data-render-failed]");
  var bar = box.querySelector("[data-render-progress]");
  var label = box.querySelector("[data-render-label]");
  var PROGRESS = { queued: 20, running: 60, done: 100, failed: 100 };
  var delay = 1000;
  var started = Date.now();

  function show(state) {
    var status = state.status;
    box.setAttribute("data-status", status);
    label.textContent = state.status_label;
    var value = PROGRESS[status] || 20;
    if (status === "running") {
      // Creep towards 95 % while the worker renders (a long report takes several seconds).
      value = Math.min(95, 60 + Math.floor((Date.now() - started) / 1000) * 3);
    }
    bar.setAttribute("aria-valuenow", String(value));
    bar.firstElementChild.style.width = value + "%";
    waiting.hidden = status === "done" || status === "failed";
    done.hidden = status !== "done";
    failed.hidden = status !== "failed";
    if (status === "failed") {
      box.querySelector("[data-render-error]").textContent = state.error;
    }
    if (status === "done" && state.download_url) {
      var link = box.querySelector("[data-render-download]");
      link.href = state.download_url;
      if (!box.hasAttribute("data-downloaded")) {
        box.setAttribute("data-downloaded", "1");
        window.location.assign(state.download_url);
      }
    }
    return status === "queued" || status === "running";
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        // 410: the render was replaced by a newer request (reports/views.py render_status): say so, stop.
        if (!r.ok && r.status !== 410) throw new Error(r.status);
        return r.json();
      })
      .then(function (state) {
        if (show(state)) { delay = Math.min(delay * 1.3, 5000); window.setTimeout(poll, delay); }
      })
      .catch(function () { delay = Math.min(delay * 2, 15000); window.setTimeout(poll, delay); });
  }

  if (box.getAttribute("data-status") === "queued" || box.getAttribute("data-status") === "running") {
    window.setTimeout(poll, delay);
  }
})();
