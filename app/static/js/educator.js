// Live counts without reloading; confirmation before closing a test.
(function () {
  "use strict";
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
  var box = document.querySelector("[data-live-url]");
  if (!box) return;
  function refresh() {
    fetch(box.dataset.liveUrl, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        Object.keys(data.counts || {}).forEach(function (k) {
          document.querySelectorAll('[data-count="' + k + '"]').forEach(function (el) { el.textContent = data.counts[k]; });
        });
        if (box.dataset.phase && data.phase !== box.dataset.phase) window.location.reload();
      })
      .catch(function () {});
  }
  setInterval(refresh, 3000);
})();
