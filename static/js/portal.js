/* Small progressive enhancements; every page works without them. */
(function () {
  "use strict";

  // --- rich text: paste from Word or the web keeps lists, bold, links -------------------
  var TAGS = { P: 1, BR: 1, UL: 1, OL: 1, LI: 1, B: 1, STRONG: 1, I: 1, EM: 1, U: 1, A: 1 };

  function clean(html) {
    // Parse in an inert document (no script runs, nothing loads), keep only allowed nodes.
    var doc = new DOMParser().parseFromString("<div>" + html + "</div>", "text/html");
    function walk(node, out) {
      node.childNodes.forEach(function (child) {
        if (child.nodeType === 3) { out.appendChild(document.createTextNode(child.textContent)); return; }
        if (child.nodeType !== 1) return;
        if (child.tagName === "SCRIPT" || child.tagName === "STYLE") return;
        if (TAGS[child.tagName]) {
          var el = document.createElement(child.tagName);
          if (child.tagName === "A") {
            var href = child.getAttribute("href") || "";
            if (/^(https?:|mailto:)/i.test(href.trim())) el.setAttribute("href", href.trim());
          }
          walk(child, el);
          out.appendChild(el);
        } else {
          walk(child, out); // unwrap <span>, <font>, <div> …
        }
      });
    }
    var out = document.createElement("div");
    walk(doc.body.firstChild, out);
    return out.innerHTML;
  }

  function richEditor(textarea) {
    var wrap = document.createElement("div");
    var bar = document.createElement("div");
    bar.className = "btn-group btn-group-sm mb-1";
    bar.setAttribute("role", "toolbar");
    bar.setAttribute("aria-label", "จัดรูปแบบข้อความ");
    var editor = document.createElement("div");
    editor.className = "rich-editor";
    editor.contentEditable = "true";
    editor.setAttribute("role", "textbox");
    editor.setAttribute("aria-multiline", "true");
    if (textarea.id) {
      var label = document.querySelector("label[for='" + textarea.id + "']");
      if (label) editor.setAttribute("aria-label", label.textContent.trim());
    }
    editor.innerHTML = clean(textarea.value.indexOf("<") >= 0 ? textarea.value : textarea.value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/\n/g, "<br>"));
    [["bold", "ตัวหนา", "<b>B</b>"], ["italic", "ตัวเอียง", "<i>I</i>"], ["insertUnorderedList", "รายการ", "•"],
     ["insertOrderedList", "รายการลำดับเลข", "1."], ["createLink", "ลิงก์", "ลิงก์"]].forEach(function (cmd) {
      var b = document.createElement("button");
      b.type = "button"; b.className = "btn btn-outline-secondary"; b.title = cmd[1]; b.innerHTML = cmd[2];
      // The accessible name starts with what is seen on the button ("1." then its meaning).
      b.setAttribute("aria-label", b.textContent === cmd[1] ? cmd[1] : b.textContent + " " + cmd[1]);
      b.addEventListener("click", function () {
        editor.focus();
        if (cmd[0] === "createLink") {
          var url = prompt("ที่อยู่ลิงก์ (https://…)");
          if (url && /^(https?:|mailto:)/i.test(url)) document.execCommand("createLink", false, url);
        } else { document.execCommand(cmd[0], false, null); }
      });
      bar.appendChild(b);
    });
    editor.addEventListener("paste", function (e) {
      var html = e.clipboardData && e.clipboardData.getData("text/html");
      if (!html) return;
      e.preventDefault();
      document.execCommand("insertHTML", false, clean(html));
    });
    textarea.hidden = true;
    textarea.parentNode.insertBefore(wrap, textarea);
    wrap.appendChild(bar); wrap.appendChild(editor);
    var sync = function () { textarea.value = clean(editor.innerHTML); };
    editor.addEventListener("input", sync);
    textarea.form && textarea.form.addEventListener("submit", sync);
  }
  document.querySelectorAll("textarea[data-rich]").forEach(richEditor);

  // --- many rows on one page: save a row without reloading the page --------------------
  document.querySelectorAll("form.row-form").forEach(function (form) {
    var status = form.querySelector(".row-status");
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var button = form.querySelector("button[type=submit]");
      button.disabled = true;
      status.textContent = "กำลังบันทึก…"; status.className = "row-status small text-muted";
      fetch(form.action, { method: "POST", body: new FormData(form), headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.json().then(function (data) { return [r.status, data]; }); })
        .then(function (res) {
          var data = res[1];
          status.textContent = data.message;
          status.className = "row-status small " + (data.ok ? "text-success" : "text-danger");
          status.setAttribute("role", data.ok ? "status" : "alert");
          if (data.ok && data.version !== undefined) form.querySelector("input[name$='version']").value = data.version;
          if (data.ok) form.dispatchEvent(new CustomEvent("row-saved", { bubbles: true }));
        })
        .catch(function () { status.textContent = "บันทึกไม่สำเร็จ (เครือข่าย) ข้อความยังอยู่ ลองอีกครั้ง"; status.className = "row-status small text-danger"; })
        .finally(function () { button.disabled = false; });
    });
  });

  // --- a long list of checkboxes: type to filter it ----------------------------------------
  document.querySelectorAll("input[data-filter]").forEach(function (input) {
    var list = document.querySelector(input.dataset.filter);
    if (!list) return;
    input.addEventListener("input", function () {
      var words = input.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      list.querySelectorAll(".form-check").forEach(function (row) {
        var text = row.textContent.toLowerCase();
        row.hidden = !words.every(function (w) { return text.indexOf(w) >= 0; });
      });
    });
  });

  // --- OIT checklist: the counter follows what is ticked before saving -----------------------
  var counter = document.getElementById("done-count");
  var checklist = document.getElementById("checklist-all");
  if (counter && checklist) {
    var count = function () {
      var done = checklist.querySelectorAll("select[name$='-status']");
      var ticked = Array.prototype.filter.call(done, function (s) { return s.value === "done"; }).length;
      counter.textContent = String(Number(counter.dataset.elsewhere || 0) + ticked);
    };
    checklist.addEventListener("change", count);
  }

  // --- evidence files: a selection too large is told before anything is sent ----------------
  // (a proxy refuses an over-large request with its own English page, and the user waits for the
  // whole upload first). The server checks the same limits (measures/evidence.py).
  document.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
    var note = document.getElementById("files-size");
    var mb = function (bytes) { return (bytes / 1048576).toFixed(1) + " MB"; };
    var limit = function (bytes) { return Math.round(bytes / 1048576) + " MB"; };
    input.addEventListener("change", function () {
      var max = Number(input.dataset.maxBytes), maxTotal = Number(input.dataset.maxTotalBytes), total = 0, message = "";
      Array.prototype.forEach.call(input.files, function (f) {
        total += f.size;
        if (!message && f.size > max) message = "ไฟล์ “" + f.name + "” ใหญ่ " + mb(f.size) + " เกินขนาดที่แนบได้ " + limit(max) + ": ลดขนาดไฟล์ หรือใส่เป็นลิงก์แทน";
      });
      if (!message && total > maxTotal) message = "ไฟล์ที่เลือกรวมกัน " + mb(total) + " เกินที่ส่งได้ในครั้งเดียว " + limit(maxTotal) + ": แนบทีละน้อยไฟล์";
      input.setCustomValidity(message);
      input.classList.toggle("is-invalid", !!message);
      if (note) note.textContent = message;
    });
  });

  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (e) { if (!confirm(form.dataset.confirm)) e.preventDefault(); });
  });

  // --- never lose typed work: warn before leaving a page with unsaved changes -------------
  // A form is "dirty" once something is typed in it (the rich editor included), clean again
  // when it is submitted or, for a row saved without reloading, when the save succeeds.
  var dirty = new Set();
  function editable(form) { return form && (form.method || "").toLowerCase() === "post" && !form.hasAttribute("data-no-warn"); }
  document.addEventListener("input", function (e) {
    var form = e.target.closest && e.target.closest("form");
    if (editable(form)) dirty.add(form);
  });
  document.addEventListener("change", function (e) {
    var form = e.target.closest && e.target.closest("form");
    if (editable(form)) dirty.add(form);
  });
  document.addEventListener("submit", function (e) {
    if (!e.target.classList.contains("row-form")) dirty.delete(e.target);
  }, true);
  document.addEventListener("row-saved", function (e) { dirty.delete(e.target); });
  window.addEventListener("beforeunload", function (e) {
    if (dirty.size) { e.preventDefault(); e.returnValue = ""; }
  });

  // --- typing counts as activity: a login is not ended as idle (SESSION_IDLE_MINUTES) while
  // someone writes a long text without saving; a quiet request every few minutes of typing.
  var alive = document.body.getAttribute("data-alive-url");
  if (alive && window.fetch) {
    var typed = false;
    document.addEventListener("input", function () { typed = true; });
    window.setInterval(function () {
      if (!typed) return;
      typed = false;
      fetch(alive, { credentials: "same-origin", cache: "no-store" }).catch(function () {});
    }, 4 * 60 * 1000);
  }
})();
