// Registration: big − / + buttons beside each number field (age, children, the baby's months), so
// a small number is a tap or two instead of the keyboard. The number field stays as it is (typing
// works, and without JavaScript it is all there is); the server checks the range either way.
(function () {
  "use strict";
  document.querySelectorAll("[data-stepper]").forEach(function (box) {
    var input = box.querySelector("input");
    if (!input) return;
    var min = input.min === "" ? -Infinity : Number(input.min);
    var max = input.max === "" ? Infinity : Number(input.max);
    box.querySelectorAll("[data-step]").forEach(function (button) {
      var step = Number(button.dataset.step);
      button.hidden = false;
      button.addEventListener("click", function () {
        var now = parseInt(input.value, 10);
        // From an empty field, "+" gives 1 (or the lowest allowed) and "−" the lowest allowed.
        var next = isNaN(now) ? (step > 0 ? Math.max(min, 1) : min) : now + step;
        if (!isFinite(next)) return;
        input.value = String(Math.min(max, Math.max(min, next)));
        input.dispatchEvent(new Event("input", { bubbles: true }));
        input.dispatchEvent(new Event("change", { bubbles: true }));
      });
    });
  });
})();
