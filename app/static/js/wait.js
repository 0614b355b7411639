// The waiting screen asks every few seconds whether the post-test is open.
(function () {
  "use strict";
  var box = document.querySelector("[data-wait]");
  if (!box) return;
  function poll() {
    fetch(box.dataset.statusUrl, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) { if (data.step && data.step !== "wait") window.location = data.next; })
      .catch(function () {});
  }
  setInterval(poll, 4000);
})();
