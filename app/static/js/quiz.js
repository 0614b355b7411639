// The quiz on a tablet with weak wifi.
//
// The question page carries the whole attempt (questions and options, as JSON data), so once it
// has loaded, Back, Next and the review work without the server. Each choice gets its own key and
// a sequence number this attempt counts up (the tablet's clock decides nothing), goes into a queue
// in localStorage and is sent to /api/answer; whatever cannot be sent now is sent when the
// connection returns (the server keeps each answer once and, per question, the choice with the
// highest number). When the server keeps another choice (made later, on another tablet), the page
// shows that one and says so: "saved" is only ever shown for the choice the server holds. The final submit is retried the same way, with one submit key.
// The server stays the source of truth: the local copy is only a retry queue, cleared once the
// test is handed in. Without JavaScript the page is an ordinary form, one question per page.
// When the educator closes the test under her (an answer or the submit refused, or the light poll
// of /api/status), the page says so at once and where to go, in place of the question.
(function () {
  "use strict";
  var PREFIX = "eduasi:attempt:";
  var MAX_AGE_MS = 24 * 3600 * 1000;
  var RETRY_MS = 5000;
  var texts = (document.getElementById("quiz-texts") || { dataset: {} }).dataset;

  function t(name, values) {
    var s = texts[name] || "";
    return s.replace(/\{(\w+)\}/g, function (_, k) { return values && values[k] !== undefined ? String(values[k]) : ""; });
  }

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID().replace(/-/g, "");
    var a = new Uint8Array(16);
    (window.crypto || window.msCrypto).getRandomValues(a);
    return Array.prototype.map.call(a, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }

  // ----- local storage: a retry queue per attempt -----
  function load(attempt) {
    try {
      var raw = window.localStorage.getItem(PREFIX + attempt);
      var st = raw ? JSON.parse(raw) : null;
      if (st && typeof st === "object" && Array.isArray(st.queue)) return st;
    } catch (e) { /* storage unavailable or corrupt: start empty */ }
    return { queue: [], seq: 0, submitKey: null, submitting: false, updated: Date.now() };
  }
  function save(attempt, st) {
    st.updated = Date.now();
    try { window.localStorage.setItem(PREFIX + attempt, JSON.stringify(st)); } catch (e) { /* full or private mode */ }
  }
  function forget(attempt) {
    try { window.localStorage.removeItem(PREFIX + attempt); } catch (e) { /* ignore */ }
  }
  // Shared tablets: drop what is finished or stale, never an answer still waiting to be sent.
  function tidy() {
    try {
      for (var i = window.localStorage.length - 1; i >= 0; i--) {
        var k = window.localStorage.key(i);
        if (!k || k.indexOf(PREFIX) !== 0) continue;
        var st = JSON.parse(window.localStorage.getItem(k) || "null");
        var stale = !st || Date.now() - (st.updated || 0) > MAX_AGE_MS;
        if (stale || (!st.queue.length && !st.submitting)) window.localStorage.removeItem(k);
      }
    } catch (e) { /* ignore */ }
  }

  // ----- the sender: answers first, then the submit; shared by the question and review pages -----
  function Sender(opts) {
    this.attempt = opts.attempt;
    this.csrf = opts.csrf;
    this.answerUrl = opts.answerUrl;
    this.submitUrl = opts.submitUrl;
    this.onChange = opts.onChange || function () {};
    this.onSuperseded = opts.onSuperseded || function () {};
    this.onDone = opts.onDone || function (next) { window.location.href = next; };
    // The test closed ("phase_not_open") or was handed in elsewhere ("attempt_submitted").
    this.onRefused = opts.onRefused || function () {};
    this.state = load(this.attempt);
    this.busy = false;
    this.sending = null;
    this.lastError = null;
    var self = this;
    window.addEventListener("online", function () { self.flush(); });
    window.addEventListener("offline", function () { self.onChange(); });
    setInterval(function () { if (self.state.queue.length || self.state.submitting) self.flush(); }, RETRY_MS);
  }
  Sender.prototype.pending = function () { return this.state.queue.length; };
  // The next number of this attempt's choices: after every one made here and every one the server
  // had when the page was drawn (`known`), so a choice on a second tablet comes after the first's.
  Sender.prototype.nextSeq = function (known) {
    this.state.seq = Math.max(this.state.seq || 0, known || 0) + 1;
    return this.state.seq;
  };
  Sender.prototype.queued = function (question) {
    return this.state.queue.some(function (q) { return q.question === question; });
  };
  Sender.prototype.add = function (item) {
    var sending = this.sending;
    // A newer choice for the same question replaces one not yet sent.
    this.state.queue = this.state.queue.filter(function (q) { return q.question !== item.question || q.key === sending; });
    this.state.queue.push(item);
    save(this.attempt, this.state);
    this.flush();
  };
  Sender.prototype.post = function (url, body) {
    return fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": this.csrf, "Accept": "application/json" },
      body: JSON.stringify(body),
      credentials: "same-origin",
      cache: "no-store"
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) { return { status: r.status, data: data }; });
    });
  };
  // The refusals that mean this test is over for her: no answer of it can be stored any more.
  var ENDED = { phase_not_open: true, attempt_submitted: true };
  function final(status) {
    // Sending again cannot change these answers: the request itself was refused.
    return status >= 400 && status < 500 && status !== 408 && status !== 429;
  }
  Sender.prototype.flush = function () {
    var self = this;
    if (self.busy) return;
    if (!self.state.queue.length) {
      if (self.state.submitting) self.sendSubmit();
      else self.onChange();
      return;
    }
    self.busy = true;
    var item = self.state.queue[0];
    self.sending = item.key;
    self.onChange();
    self.post(self.answerUrl, item).then(function (res) {
      self.busy = false;
      self.sending = null;
      if (res.status === 200 || final(res.status)) {
        self.failed = false;
        self.lastError = res.status === 200 ? null : (res.data.message || null);
        self.state.queue = self.state.queue.filter(function (q) { return q.key !== item.key; });
        save(self.attempt, self.state);
        if (ENDED[res.data.error]) self.onRefused(res.data.error);
        if (res.status === 200 && res.data.status === "superseded") {
          // Not this choice but a later one is stored: show that one, never "saved" for this.
          self.lastError = t("tSuperseded");
          // Her next choice, made now that she sees the stored one, comes after it.
          self.state.seq = Math.max(self.state.seq || 0, res.data.seq || 0);
          save(self.attempt, self.state);
          if (!self.queued(item.question)) self.onSuperseded(item.question, res.data.option);
        }
        self.flush();
      } else {
        self.failed = true;
        self.onChange();
      }
    }, function () {
      self.busy = false;
      self.sending = null;
      self.failed = true;
      self.onChange();
    });
  };
  Sender.prototype.submit = function () {
    if (!this.state.submitKey) this.state.submitKey = newKey();
    this.state.submitting = true;
    save(this.attempt, this.state);
    this.flush();
  };
  Sender.prototype.sendSubmit = function () {
    var self = this;
    if (self.busy) return;
    self.busy = true;
    self.onChange();
    self.post(self.submitUrl, { submit_key: self.state.submitKey }).then(function (res) {
      self.busy = false;
      self.failed = !(res.status === 200 || final(res.status));
      if (res.status === 200 || (res.status === 409 && res.data.error === "attempt_submitted")) {
        self.state.submitting = false;
        forget(self.attempt);
        self.onDone(res.data.next || "/me");
      } else if (final(res.status)) {
        self.state.submitting = false;
        save(self.attempt, self.state);
        self.lastError = res.data.message || null;
        self.onChange();
        if (ENDED[res.data.error]) self.onRefused(res.data.error);
      } else {
        self.onChange();
      }
    }, function () {
      self.busy = false;
      self.failed = true;
      self.onChange();
    });
  };

  function setStatus(el, cls, text) {
    if (!el) return;
    if (el.textContent !== text) el.textContent = text;
    el.className = "save-status " + cls;
  }
  function statusFor(sender) {
    if (sender.lastError) return ["error", sender.lastError];
    var n = sender.pending();
    var stuck = navigator.onLine === false || sender.failed;
    if (sender.state.submitting) return stuck ? ["waiting", t("tSubmitWaiting")] : ["saving", t("tSubmitting")];
    if (!n) return sender.everSent ? ["saved", t("tSaved")] : ["", ""];
    return stuck ? ["waiting", t("tWaiting", { n: n })] : ["saving", t("tSaving")];
  }

  // ----- the language links keep the page she is on (the script moves between questions) -----
  function followLanguage() {
    var here = window.location.pathname + window.location.search;
    document.querySelectorAll(".lang-switch a[href]").forEach(function (a) {
      var url = new URL(a.getAttribute("href"), window.location.href);
      url.searchParams.set("next", here);
      a.setAttribute("href", url.pathname + url.search);
    });
  }

  // ----- the test closed under her: say so in place of the quiz, and where to go -----
  function showEnded(code) {
    var box = document.querySelector("[data-closed]");
    if (!box || !box.hidden) return;
    var handedIn = code === "attempt_submitted";
    document.querySelectorAll("dialog[open]").forEach(function (d) { d.close(); });
    document.querySelectorAll("main > section").forEach(function (s) { if (s !== box) s.hidden = true; });
    box.querySelector("[data-closed-title]").textContent = t(handedIn ? "tHandedInTitle" : "tClosedTitle");
    box.querySelector("[data-closed-text]").textContent = t(handedIn ? "tHandedIn" : "tClosed");
    box.hidden = false;
    window.scrollTo(0, 0);
    box.querySelector("[data-closed-title]").focus();
  }
  // A light poll: is this test still open for her? (an answer or the submit tells at once too)
  var WATCH_MS = 8000;
  function watchTest(statusUrl, kind, sender) {
    var timer = setInterval(function () {
      if (sender.state.submitting || sender.done || navigator.onLine === false) return;
      fetch(statusUrl, { headers: { "Accept": "application/json" }, credentials: "same-origin", cache: "no-store" })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          if (sender.state.submitting || sender.done || !data.step || data.step === kind) return;
          clearInterval(timer);
          showEnded((data.handed_in || []).indexOf(kind) >= 0 ? "attempt_submitted" : "phase_not_open");
        })
        .catch(function () {});
    }, WATCH_MS);
  }

  // ----- asking before a submit with unanswered questions (answering them is the main way) -----
  function askBeforeSubmit(dialog, missing, onAnswer, onSubmit) {
    if (!missing) { onSubmit(); return; }
    dialog.querySelector("[data-confirm-text]").textContent = t("tMissing", { n: missing });
    dialog.querySelector("[data-confirm-answer]").onclick = function (event) {
      event.preventDefault();
      dialog.close();
      onAnswer();
    };
    dialog.querySelector("[data-confirm-submit]").onclick = function (event) {
      event.preventDefault();
      dialog.close();
      onSubmit();
    };
    if (typeof dialog.showModal === "function") {
      if (dialog.open) dialog.close();
      dialog.showModal();
      dialog.querySelector("[data-confirm-answer]").focus();
    } else if (window.confirm(t("tMissing", { n: missing }))) {
      onSubmit();
    } else {
      onAnswer();
    }
  }

  // ----- the question page -----
  function questionPage(card) {
    var data = JSON.parse(document.getElementById("quiz-data").textContent);
    var questions = data.questions;
    var total = questions.length;
    var answers = {};
    Object.keys(data.answers || {}).forEach(function (k) { answers[k] = data.answers[k]; });
    var n = parseInt(card.dataset.n, 10) || 1;
    var form = card.querySelector("form.answer-form");
    var legend = card.querySelector("#stem");
    var optionsBox = card.querySelector("[data-options]");
    var saveStatus = card.querySelector("[data-save-status]");
    var progress = card.querySelector("[data-progress]");
    var progressText = card.querySelector("[data-progress-text]");
    var review = document.querySelector("[data-review]");
    var submitStatus = review.querySelector("[data-submit-status]");
    var submitButton = review.querySelector("[data-submit]");
    var submitTop = review.querySelector("[data-submit-top]");
    var confirmDialog = review.querySelector("[data-confirm]");
    var backToReview = form.querySelector("[data-back-to-review]");
    // Once she has been at the review (or came from it), every question offers the way back to it.
    var fromReview = card.hasAttribute("data-from-review");
    function questionUrl(number) { return data.urls.question + number + (fromReview ? "?from=review" : ""); }

    var sender = new Sender({
      attempt: data.attempt, csrf: card.dataset.csrf, answerUrl: data.urls.answer, submitUrl: data.urls.submit,
      onChange: function () { showStatus(); },
      onRefused: showEnded,
      onSuperseded: function (question, option) {
        if (option) answers[question] = option;
        if (!card.hidden && questions[n - 1].key === question) {
          optionsBox.querySelectorAll("input[name=option]").forEach(function (input) {
            input.checked = input.value === answers[question];
          });
        }
      }
    });
    // Choices made here earlier and not yet acknowledged count as this tablet's answers.
    sender.state.queue.forEach(function (item) { answers[item.question] = item.option; });

    function showStatus() {
      var s = statusFor(sender);
      setStatus(saveStatus, s[0], s[1]);
      setStatus(submitStatus, s[0], s[1]);
      submitButton.disabled = submitTop.disabled = !!sender.state.submitting;
    }

    function renderQuestion(number, focus) {
      n = Math.min(Math.max(number, 1), total);
      var q = questions[n - 1];
      card.hidden = false;
      review.hidden = true;
      card.dataset.question = q.key;
      legend.textContent = q.stem;
      var fresh = document.createDocumentFragment();
      q.options.forEach(function (o, i) {
        var label = document.createElement("label");
        label.className = "option";
        var input = document.createElement("input");
        input.type = "radio";
        input.name = "option";
        input.className = "option-input";
        input.id = "option-" + i;
        input.value = o.key;
        input.checked = answers[q.key] === o.key;
        var number = document.createElement("span");
        number.className = "option-number";
        number.setAttribute("aria-hidden", "true");
        number.textContent = String(i + 1);
        var span = document.createElement("span");
        span.className = "option-text";
        span.textContent = o.text;
        label.appendChild(input);
        label.appendChild(number);
        label.appendChild(span);
        fresh.appendChild(label);
      });
      optionsBox.replaceChildren(fresh);
      var label = t("tProgress", { n: n, total: total });
      progressText.textContent = label;
      progress.value = n;
      progress.setAttribute("aria-label", label);
      form.setAttribute("action", questionUrl(n));
      form.querySelector("[data-back]").hidden = n === 1;
      form.querySelector("[data-next]").hidden = n === total;
      form.querySelector("[data-to-review]").hidden = n !== total;
      backToReview.hidden = !fromReview || n === total;
      document.title = label + " · " + document.title.split(" · ").slice(-1)[0];
      listen.stop();
      sender.lastError = null;
      showStatus();
      if (focus) { window.scrollTo(0, 0); legend.focus(); }
    }

    function missingCount() {
      return questions.filter(function (q) { return answers[q.key] === undefined; }).length;
    }
    function firstMissing() {
      for (var i = 0; i < total; i++) if (answers[questions[i].key] === undefined) return i + 1;
      return 1;
    }

    function renderReview() {
      fromReview = true;
      card.hidden = true;
      review.hidden = false;
      listen.stop();
      var list = review.querySelector("[data-review-list]");
      var fresh = document.createDocumentFragment();
      var missing = 0;
      questions.forEach(function (q, i) {
        var done = answers[q.key] !== undefined;
        if (!done) missing++;
        var li = document.createElement("li");
        li.className = done ? "answered" : "unanswered";
        var a = document.createElement("a");
        a.href = data.urls.question + (i + 1) + "?from=review";
        a.dataset.goto = String(i + 1);
        [["q-number", String(i + 1)], ["q-stem", q.stem], ["q-state", done ? t("tAnswered") : t("tUnanswered")]]
          .forEach(function (part) {
            var span = document.createElement("span");
            span.className = part[0];
            span.textContent = part[1];
            a.appendChild(span);
          });
        li.appendChild(a);
        fresh.appendChild(li);
      });
      list.replaceChildren(fresh);
      var missingBox = review.querySelector("[data-review-missing]");
      missingBox.hidden = !missing;
      missingBox.textContent = t("tMissing", { n: missing });
      review.querySelector("[data-review-complete]").hidden = !!missing;
      showStatus();
      window.scrollTo(0, 0);
      review.querySelector("[data-review-title]").focus();
    }

    function go(target, push) {
      if (target === "review") {
        renderReview();
        if (push) history.pushState({ review: true }, "", data.urls.review);
      } else {
        renderQuestion(target, true);
        if (push) history.pushState({ n: target }, "", questionUrl(target));
      }
      followLanguage();
    }

    history.replaceState({ n: n }, "", window.location.href);
    window.addEventListener("popstate", function (event) {
      var st = event.state || {};
      if (st.review) go("review", false);
      else if (st.n) go(st.n, false);
    });

    form.addEventListener("change", function (event) {
      if (event.target.name !== "option") return;
      var q = questions[n - 1];
      answers[q.key] = event.target.value;
      sender.everSent = true;
      sender.lastError = null;
      sender.add({ kind: data.kind, question: q.key, option: event.target.value, key: newKey(),
        seq: sender.nextSeq(data.seq), chosen_at: new Date().toISOString() });
    });

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var direction = (event.submitter && event.submitter.value) || "next";
      if (direction === "back") go(n - 1, true);
      else if (direction === "review" || n >= total) go("review", true);
      else go(n + 1, true);
    });

    review.addEventListener("click", function (event) {
      var link = event.target.closest("a[data-goto]");
      if (!link) return;
      event.preventDefault();
      go(parseInt(link.dataset.goto, 10), true);
    });

    function handIn() {
      sender.lastError = null;
      sender.submit();
      showStatus();
    }
    function askThenHandIn() {
      askBeforeSubmit(confirmDialog, missingCount(), function () { go(firstMissing(), true); }, handIn);
    }
    submitButton.addEventListener("click", askThenHandIn);
    submitTop.addEventListener("click", askThenHandIn);

    // Read aloud (listen.js): the question, then each option with the number shown beside it.
    var listen = (window.EduAsiListen || function () { return { stop: function () {} }; })(
      card.querySelector("[data-listen]"), function () {
      var q = questions[n - 1];
      return [q.stem].concat(q.options.map(function (o, i) { return t("tOption", { n: i + 1, text: o.text }); }));
      });

    var onDone = sender.onDone;
    sender.onDone = function (next) { sender.done = true; onDone(next); };
    if (sender.state.submitting) go("review", false);
    else renderQuestion(n, false);
    showStatus();
    sender.flush();
    watchTest(data.urls.status, data.kind, sender);
  }

  // ----- the review page (reached by reloading or without the question page) -----
  function reviewPage(box) {
    var form = box.querySelector("form[data-submit-form]");
    var status = box.querySelector("[data-submit-status]");
    var buttons = box.querySelectorAll("button[type=submit], [data-ask-submit]");
    var confirmDialog = box.querySelector("[data-confirm]");
    var sender = new Sender({
      attempt: box.dataset.attempt, csrf: box.dataset.csrf,
      answerUrl: box.dataset.answerUrl, submitUrl: form.getAttribute("action"),
      onRefused: showEnded,
      onChange: function () {
        if (!sender) return;
        var s = statusFor(sender);
        setStatus(status, s[0], s[1]);
        buttons.forEach(function (b) { b.disabled = !!sender.state.submitting; });
      }
    });
    var onDone = sender.onDone;
    sender.onDone = function (next) { sender.done = true; onDone(next); };
    sender.state.queue.forEach(function (item) {
      var li = box.querySelector('li[data-question="' + CSS.escape(item.question) + '"]');
      if (li) { li.className = "answered"; li.querySelector(".q-state").textContent = t("tAnswered"); }
    });
    function handIn() {
      if (!sender.state.submitKey) sender.state.submitKey = form.querySelector("input[name=submit_key]").value;
      sender.lastError = null;
      sender.submit();
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (confirmDialog && confirmDialog.open) confirmDialog.close();
      handIn();
    });
    box.querySelectorAll("[data-ask-submit]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        if (sender.state.submitting) return;
        var missing = box.querySelectorAll("li.unanswered a");
        askBeforeSubmit(confirmDialog, missing.length, function () {
          window.location.href = missing[0].getAttribute("href");
        }, handIn);
      });
    });
    sender.flush();
    if (box.dataset.statusUrl) watchTest(box.dataset.statusUrl, box.dataset.kind, sender);
  }

  tidy();
  followLanguage();
  var card = document.querySelector("[data-quiz]");
  if (card && document.getElementById("quiz-data")) questionPage(card);
  var reviewBox = document.querySelector("[data-review-page]");
  if (reviewBox) reviewPage(reviewBox);
})();
