// The educator's live view: refreshes itself every few seconds from live.json,
// asks before a test is closed while people are still answering, and stops double presses.
(function () {
  "use strict";
  var box = document.querySelector("[data-live-url]");
  var latest = null;

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, name) {
      return values[name] === undefined || values[name] === null ? "" : String(values[name]);
    });
  }

  function unfinished(kind) {
    if (!latest || !latest.counts) return null;
    return Math.max(latest.counts.joined - latest.counts[kind + "_done"], 0);
  }

  document.querySelectorAll("form[data-phase-form]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.sent) { event.preventDefault(); return; }
      var question = null;
      if (form.dataset.confirmAlways) question = form.dataset.confirmAlways;
      if (form.dataset.confirm) {
        var n = unfinished(form.dataset.confirmKind);
        if (n === null) {
          var shown = document.querySelector("[data-unfinished]");
          n = shown ? parseInt(shown.textContent, 10) || 0 : 1;
        }
        if (n > 0) question = fill(form.dataset.confirm, { n: n });
      }
      if (question && !window.confirm(question)) { event.preventDefault(); return; }
      form.dataset.sent = "1";
      document.querySelectorAll("form[data-phase-form] button").forEach(function (b) { b.disabled = true; });
    });
  });

  if (!box) return;
  var liveStatus = document.querySelector("[data-live-status]");

  function cell(row, text, className) {
    var td = document.createElement("td");
    if (className) td.className = className;
    td.textContent = text;
    row.appendChild(td);
    return td;
  }

  function renderRows(rows) {
    var body = document.querySelector("[data-rows]");
    if (!body) return;
    var fresh = document.createDocumentFragment();
    rows.forEach(function (r, i) {
      var tr = document.createElement("tr");
      if (r.stuck) tr.className = "stuck";
      cell(tr, String(i + 1));
      cell(tr, r.name);
      if (r.code !== undefined) cell(tr, r.code, "mono");  // only for who may see personal codes
      var now = cell(tr, r.state_label || "");
      if (r.answered !== null && r.answered !== undefined) {
        now.textContent += " · " + fill(box.dataset.tAnswered, { n: r.answered, total: r.total });
      }
      if (r.stuck) {
        var tag = document.createElement("span");
        tag.className = "tag no";
        tag.textContent = fill(r.state === "joined" || r.answered === null ? box.dataset.tWaitingStart : box.dataset.tStuck,
          { n: r.idle_minutes });
        now.appendChild(document.createTextNode(" "));
        now.appendChild(tag);
      }
      cell(tr, r.pre_text, "num");
      cell(tr, r.post_text, "num");
      cell(tr, r.gain_text, "num");
      cell(tr, r.normalized_gain_text, "num");
      if (r.followup_text !== undefined) cell(tr, r.followup_text, "num");  // a session with a follow-up
      fresh.appendChild(tr);
    });
    body.replaceChildren(fresh);
  }

  function renderItems(items) {
    var section = document.querySelector("[data-items]");
    var body = document.querySelector("[data-item-rows]");
    if (!section || !body || !items) return;
    section.hidden = !(items.n_pre || items.n_post);
    var fresh = document.createDocumentFragment();
    items.rows.forEach(function (it) {
      var tr = document.createElement("tr");
      cell(tr, String(it.position));
      var q = cell(tr, it.stem);
      if (it.post_stem) {
        q.appendChild(document.createElement("br"));
        var s = document.createElement("span");
        s.className = "small";
        s.textContent = it.post_stem;
        q.appendChild(s);
      }
      cell(tr, it.pre_percent === null ? "–" : it.pre_text + " %", "num");
      cell(tr, it.post_percent === null ? "–" : it.post_text + " %", "num");
      var w = cell(tr, it.wrong_text || "–");
      if (it.wrong_text) {
        var c = document.createElement("span");
        c.className = "small";
        c.textContent = " (" + it.wrong_count + ")";
        w.appendChild(c);
      }
      fresh.appendChild(tr);
    });
    body.replaceChildren(fresh);
  }

  function render(data) {
    latest = data;
    Object.keys(data.counts || {}).forEach(function (k) {
      document.querySelectorAll('[data-count="' + k + '"]').forEach(function (el) { el.textContent = data.counts[k]; });
    });
    document.querySelectorAll('[data-count="stuck"]').forEach(function (el) {
      el.textContent = data.stuck || 0;
      var tile = el.closest(".stuck-count");
      if (tile) tile.classList.toggle("active", data.stuck > 0);
    });
    Object.keys(data.means_text || {}).forEach(function (k) {
      document.querySelectorAll('[data-mean="' + k + '"]').forEach(function (el) { el.textContent = data.means_text[k]; });
    });
    var note = document.querySelector("[data-unfinished-note]");
    if (note) note.querySelector("[data-unfinished]").textContent = unfinished(note.dataset.kind);
    if (data.rows) renderRows(data.rows);
    if (data.items) renderItems(data.items);
    if (liveStatus && box.dataset.tUpdated) {
      liveStatus.textContent = fill(box.dataset.tUpdated, { time: data.updated_text || new Date().toLocaleTimeString(document.documentElement.lang) });
    }
  }

  function refresh() {
    fetch(box.dataset.liveUrl, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) {
        if (box.dataset.phase && data.phase !== box.dataset.phase) { window.location.reload(); return; }
        render(data);
      })
      .catch(function () { if (liveStatus && box.dataset.tOffline) liveStatus.textContent = box.dataset.tOffline; });
  }
  refresh();
  setInterval(refresh, 3000);
})();
