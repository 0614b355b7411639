// Autosave: each choice is sent the moment it is made. Issue 5 extends this with an offline queue.
(function () {
  "use strict";
  var card = document.querySelector(".question-card");
  if (!card) return;
  var form = card.querySelector("form.answer-form");
  var status = card.querySelector("[data-save-status]");
  var keyInput = form.querySelector("input[name=client_key]");
  var timeInput = form.querySelector("input[name=chosen_at]");
  var lang = card.dataset.lang;
  var texts = {
    saved: lang === "en" ? "Answer saved" : "Jawaban tersimpan",
    saving: lang === "en" ? "Saving…" : "Menyimpan…",
    waiting: lang === "en" ? "No connection: the answer will be sent when the connection returns" :
      "Tidak ada koneksi: jawaban akan dikirim saat koneksi kembali"
  };
  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID().replace(/-/g, "");
    return Date.now().toString(16) + Math.random().toString(16).slice(2);
  }
  function show(state) {
    status.textContent = texts[state];
    status.className = "save-status " + state;
  }
  form.addEventListener("change", function (event) {
    if (event.target.name !== "option") return;
    var key = newKey();
    var chosenAt = new Date().toISOString();
    keyInput.value = key;
    timeInput.value = chosenAt;
    show("saving");
    fetch(card.dataset.answerUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": card.dataset.csrf, "Accept": "application/json" },
      body: JSON.stringify({ kind: card.dataset.kind, question: card.dataset.question, option: event.target.value,
        key: key, chosen_at: chosenAt }),
      credentials: "same-origin"
    }).then(function (r) { show(r.ok ? "saved" : "waiting"); })
      .catch(function () { show("waiting"); });
  });
})();
