/* A Buddhist-Era month grid beside each Thai date box (input[data-thai-date]).
   Optional: the box takes typed dates without it ("30/6/2570", "30 มิ.ย. 70"). No inline script
   or handlers (CSP script-src 'self'); the browser's own date input would show Christian-Era years. */
(function () {
  "use strict";

  var FULL = ["มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม",
    "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"];
  var ABBR = ["ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค."];
  var DAYS = ["อา", "จ", "อ", "พ", "พฤ", "ศ", "ส"];
  var BE = 543;

  function arabic(text) {
    return text.replace(/[๐-๙]/g, function (d) { return String(d.charCodeAt(0) - 0x0e50); });
  }

  // The month a box already holds (d/m/y or "d มิ.ย. y", Buddhist Era), else this month.
  function shown(value) {
    var text = arabic(value || "").replace(/\s+/g, " ").trim();
    var month = null, year = null;
    var m = /^\d{1,2}\s?[\/.-]\s?(\d{1,2})\s?[\/.-]\s?(\d{2}|\d{4})$/.exec(text);
    if (m) { month = +m[1] - 1; year = +m[2]; }
    if (!m) {
      m = /^\d{1,2}\s?(.+?)\s?(?:พ\.?\s?ศ\.?\s?)?(\d{2}|\d{4})$/.exec(text);
      if (m) {
        var word = m[1].replace(/[.\s]/g, "");
        for (var i = 0; i < 12; i++) {
          if (word === ABBR[i].replace(/\./g, "") || word === FULL[i]) { month = i; year = +m[2]; }
        }
      }
    }
    if (year !== null && year < 100) year += 2500;
    if (month === null || month < 0 || month > 11 || year < 2400 || year > 2700) {
      var now = new Date();
      return { month: now.getMonth(), year: now.getFullYear() + BE };
    }
    return { month: month, year: year };
  }

  function button(text, label, cls) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = cls;
    b.textContent = text;
    if (label) b.setAttribute("aria-label", label);
    return b;
  }

  function icon() {
    var NS = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(NS, "svg");
    svg.setAttribute("viewBox", "0 0 16 16");
    svg.setAttribute("width", "16");
    svg.setAttribute("height", "16");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var path = document.createElementNS(NS, "path");
    path.setAttribute("fill", "currentColor");
    path.setAttribute("d", "M4 0a.5.5 0 0 1 .5.5V1h7V.5a.5.5 0 0 1 1 0V1h1A1.5 1.5 0 0 1 15 2.5v12a1.5 1.5 0 0 1-1.5 1.5h-11A1.5 1.5 0 0 1 1 14.5v-12A1.5 1.5 0 0 1 2.5 1h1V.5A.5.5 0 0 1 4 0zM2 5v9.5a.5.5 0 0 0 .5.5h11a.5.5 0 0 0 .5-.5V5H2zm2 2h2v2H4V7zm3 0h2v2H7V7zm3 0h2v2h-2V7zm-6 3h2v2H4v-2zm3 0h2v2H7v-2z");
    svg.appendChild(path);
    return svg;
  }

  function attach(input) {
    if (input.disabled || input.readOnly || input.getAttribute("data-thai-calendar")) return;
    input.setAttribute("data-thai-calendar", "1");
    var group = document.createElement("div");
    group.className = "input-group thai-date-group" + (input.classList.contains("form-control-sm") ? " input-group-sm" : "");
    // Bootstrap shows an error (.invalid-feedback) only after an .is-invalid sibling: now the group.
    if (input.classList.contains("is-invalid")) group.classList.add("is-invalid", "has-validation");
    input.parentNode.insertBefore(group, input);
    group.appendChild(input);
    // An icon, not a word: the box sits in narrow columns (a step's start and end side by side).
    var open = button("", "เลือกวันที่จากปฏิทิน (พ.ศ.)", "btn btn-outline-secondary px-2 thai-calendar-open");
    open.title = "ปฏิทิน พ.ศ.";
    open.appendChild(icon());
    open.setAttribute("aria-expanded", "false");
    group.appendChild(open);
    var panel = null, at = null;

    function close(focusBox) {
      if (panel) { panel.remove(); panel = null; }
      open.setAttribute("aria-expanded", "false");
      if (focusBox) input.focus();
    }

    function pick(day) {
      input.value = day + " " + ABBR[at.month] + " " + at.year;
      // As if typed: the page's "unsaved changes" guard and any listener see it.
      input.dispatchEvent(new Event("input", { bubbles: true }));
      input.dispatchEvent(new Event("change", { bubbles: true }));
      close(true);
    }

    function draw() {
      panel.textContent = "";
      var head = document.createElement("div");
      head.className = "d-flex align-items-center justify-content-between mb-1";
      var prev = button("‹", "เดือนก่อน", "btn btn-sm btn-light thai-calendar-prev");
      var next = button("›", "เดือนถัดไป", "btn btn-sm btn-light thai-calendar-next");
      var title = document.createElement("strong");
      title.className = "thai-calendar-title";
      title.setAttribute("aria-live", "polite");
      title.textContent = FULL[at.month] + " " + at.year;
      prev.addEventListener("click", function () { move(-1); });
      next.addEventListener("click", function () { move(1); });
      head.append(prev, title, next);
      var grid = document.createElement("div");
      grid.className = "thai-calendar-grid";
      grid.setAttribute("role", "group");
      grid.setAttribute("aria-label", FULL[at.month] + " พ.ศ. " + at.year);
      DAYS.forEach(function (d) {
        var cell = document.createElement("span");
        cell.className = "thai-calendar-dow";
        cell.textContent = d;
        grid.appendChild(cell);
      });
      var first = new Date(at.year - BE, at.month, 1).getDay();
      var count = new Date(at.year - BE, at.month + 1, 0).getDate();
      for (var i = 0; i < first; i++) grid.appendChild(document.createElement("span"));
      for (var day = 1; day <= count; day++) {
        var b = button(String(day), day + " " + FULL[at.month] + " " + at.year, "btn btn-sm btn-light thai-calendar-day");
        b.addEventListener("click", pick.bind(null, day));
        grid.appendChild(b);
      }
      panel.append(head, grid);
    }

    function move(months) {
      var n = at.month + months;
      at = { month: (n + 12) % 12, year: at.year + Math.floor(n / 12) };
      draw();
    }

    open.addEventListener("click", function () {
      if (panel) { close(true); return; }
      at = shown(input.value);
      panel = document.createElement("div");
      panel.className = "thai-calendar border rounded bg-white p-2 mt-1 shadow-sm";
      panel.setAttribute("role", "dialog");
      panel.setAttribute("aria-label", "ปฏิทิน พ.ศ.");
      panel.addEventListener("keydown", function (e) { if (e.key === "Escape") close(true); });
      group.insertAdjacentElement("afterend", panel);
      open.setAttribute("aria-expanded", "true");
      draw();
      var chosen = panel.querySelector(".thai-calendar-day");
      if (chosen) chosen.focus();
    });
  }

  document.querySelectorAll("input[data-thai-date]").forEach(attach);
})();
