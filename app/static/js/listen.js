// "Dengarkan": read a screen aloud where the device has a voice in the page's language.
//
// A [data-listen] button inside a [data-speak-scope] reads that scope's [data-speak] elements in
// order: the attribute's value when it has one (a code spelled out, "Pre-test: 60"), else the
// element's text. The question page attaches its own button through window.EduAsiListen (quiz.js:
// the question, then "Answer 1: …" for the options numbered 1, 2, … on screen). One button speaks
// at a time; without speech synthesis or a voice in the language, the buttons stay hidden.
(function () {
  "use strict";
  var synth = window.speechSynthesis;
  var usable = !!synth && typeof window.SpeechSynthesisUtterance === "function";
  var want = (document.documentElement.lang || "id").slice(0, 2).toLowerCase();
  var voice = null;
  var entries = [];
  var active = null;

  function pick() {
    var voices = synth.getVoices() || [];
    voice = null;
    for (var i = 0; i < voices.length; i++) {
      var l = String(voices[i].lang || "").toLowerCase().replace("_", "-");
      if (l === want || l.indexOf(want + "-") === 0) { voice = voices[i]; if (voices[i].localService) break; }
    }
    entries.forEach(function (e) { e.button.hidden = !voice; });
  }
  function show(entry, on) {
    entry.label.textContent = on ? entry.button.dataset.tStop : entry.button.dataset.tListen;
    entry.button.setAttribute("aria-pressed", on ? "true" : "false");
  }
  function stop() {
    if (!active) return;
    var was = active;
    active = null;
    synth.cancel();
    show(was, false);
  }

  function attach(button, linesNow) {
    if (!usable || !button) return { stop: function () {} };
    var entry = { button: button, label: button.querySelector("[data-listen-label]"), lines: linesNow };
    entries.push(entry);
    button.hidden = !voice;
    button.addEventListener("click", function () {
      if (active === entry) { stop(); return; }
      if (!voice) return;
      stop();
      var lines = entry.lines().filter(function (line) { return line; });
      if (!lines.length) return;
      active = entry;
      show(entry, true);
      lines.forEach(function (line, i) {
        var u = new SpeechSynthesisUtterance(line);
        u.voice = voice;
        u.lang = voice.lang;
        u.rate = 0.9;
        if (i === lines.length - 1) {
          u.onend = function () { if (active === entry) { active = null; show(entry, false); } };
          u.onerror = u.onend;
        }
        synth.speak(u);
      });
    });
    return { stop: function () { if (active === entry) stop(); } };
  }

  function scopeLines(scope) {
    return function () {
      return Array.prototype.map.call(scope.querySelectorAll("[data-speak]"), function (el) {
        // U+2011 (the non-breaking hyphen of "Pre-test" on screen) is read as the plain hyphen
        return (el.getAttribute("data-speak") || el.textContent || "").replace(/\u2011/g, "-").replace(/\s+/g, " ").trim();
      });
    };
  }

  if (usable) {
    if (synth.addEventListener) synth.addEventListener("voiceschanged", pick);
    else synth.onvoiceschanged = pick;
  }
  window.EduAsiListen = attach;
  document.querySelectorAll("[data-speak-scope] [data-listen]").forEach(function (button) {
    attach(button, scopeLines(button.closest("[data-speak-scope]")));
  });
  if (usable) pick();
})();
