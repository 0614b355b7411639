// The monthly visit on a phone with weak wifi, as the quiz does it (quiz.js).
//
// A visit saved on the visit page goes into a queue in localStorage with its client key and is
// sent to the pair's visits.json; whatever cannot be sent now is sent when the connection
// returns, from any cohort page (every page carries this script and the queue line). The server
// stores each client key once, so a visit sent twice is stored once. A visit the server refuses
// (4xx) is dropped from the queue with its message shown: sending it again cannot change that.
// Without JavaScript the visit page is an ordinary form with the same client key.
(function () {
  "use strict";
  var KEY = "eduasi:cohort:visits";
  var RETRY_MS = 5000;
  var line = document.getElementById("cohort-queue");
  var texts = line ? line.dataset : {};

  function t(name, values) {
    var s = (texts[name] || (form && form.dataset[name]) || "");
    return s.replace(/\{(\w+)\}/g, function (_, k) { return values && values[k] !== undefined ? String(values[k]) : ""; });
  }
  function load() {
    try {
      var q = JSON.parse(window.localStorage.getItem(KEY) || "[]");
      return Array.isArray(q) ? q : [];
    } catch (e) { return []; }
  }
  function save(q) {
    try { window.localStorage.setItem(KEY, JSON.stringify(q)); } catch (e) { /* full or private mode */ }
  }
  function csrf() {
    var input = document.querySelector('input[name="csrf_token"]');
    return input ? input.value : "";
  }
  function final(status) {
    return status >= 400 && status < 500 && status !== 408 && status !== 429;
  }

  var busy = false, failed = false, lastError = null, listeners = [];
  function show() {
    var n = load().length;
    if (line) {
      var text = "", cls = "";
      if (lastError) { text = t("tRefused") + " " + lastError; cls = "error"; }
      else if (n && (failed || navigator.onLine === false)) { text = t("tWaiting", { n: n }); cls = "waiting"; }
      else if (n) { text = t("tSending"); cls = "saving"; }
      line.textContent = text;
      line.className = "save-status " + cls;
    }
    listeners.forEach(function (f) { f(n); });
  }
  function flush() {
    if (busy) return;
    var q = load();
    if (!q.length) { show(); return; }
    busy = true;
    var item = q[0];
    show();
    fetch(item.url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf(), "Accept": "application/json" },
      body: JSON.stringify(item.body),
      credentials: "same-origin",
      cache: "no-store"
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) { return { status: r.status, data: data }; });
    }).then(function (res) {
      busy = false;
      if (res.status === 200 || final(res.status)) {
        failed = false;
        lastError = res.status === 200 ? null : (res.data.message || String(res.status));
        save(load().filter(function (x) { return x.body.client_key !== item.body.client_key; }));
        listeners.forEach(function (f) { f(load().length, item, res); });
        flush();
      } else {
        failed = true;
        show();
      }
    }, function () {
      busy = false;
      failed = true;
      show();
    });
  }
  window.addEventListener("online", flush);
  window.addEventListener("offline", show);
  setInterval(function () { if (load().length) flush(); }, RETRY_MS);

  // ----- the visit page -----
  var form = document.getElementById("visit-form");
  if (form) {
    var status = document.getElementById("visit-status");
    var ageLine = document.getElementById("age-line");
    var camePart = document.getElementById("came-part");
    var birth = form.dataset.birth;

    var ageOf = function (birthIso, dayIso) {
      var b = birthIso.split("-").map(Number), d = dayIso.split("-").map(Number);
      var m = (d[0] - b[0]) * 12 + d[1] - b[1];
      return d[2] < b[2] ? m - 1 : m;
    };
    var showAge = function () {
      var day = form.elements.visit_date.value;
      if (!day) { ageLine.textContent = ""; return; }
      if (day < birth) { ageLine.textContent = form.dataset.tBeforeBirth; ageLine.className = "age-line error"; return; }
      ageLine.className = "age-line";
      ageLine.textContent = form.dataset.tAge.replace("{m}", ageOf(birth, day));
    };
    var showCame = function () {
      var came = form.querySelector('input[name="came"]:checked');
      camePart.hidden = came && came.value === "no";
    };
    form.addEventListener("change", function () { showAge(); showCame(); });
    form.elements.visit_date.addEventListener("input", showAge);
    showAge();
    showCame();

    form.addEventListener("submit", function (event) {
      if (!window.fetch || !window.JSON) return; // an ordinary form post
      event.preventDefault();
      var body = {};
      new FormData(form).forEach(function (value, name) {
        if (name === "csrf_token") return;
        if (name === "recall_24h" || name === "problems") (body[name] = body[name] || []).push(value);
        else body[name] = value;
      });
      var q = load().filter(function (x) { return x.body.client_key !== body.client_key; });
      q.push({ url: form.dataset.jsonUrl, body: body });
      save(q);
      status.textContent = form.dataset.tQueued;
      status.className = "save-status waiting";
      lastError = null;
      flush();
    });
    listeners.push(function (n, item, res) {
      if (!item || item.body.client_key !== form.elements.client_key.value) return;
      if (res.status === 200) {
        status.textContent = form.dataset.tSaved;
        status.className = "save-status saved";
        window.location.href = form.dataset.doneUrl;
      } else {
        status.textContent = res.data.message || String(res.status);
        status.className = "save-status error";
      }
    });
  }
  show();
  flush();
})();
