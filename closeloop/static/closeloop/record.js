// The live record page: topic timers counting down, keyboard shortcuts, and polls that never wipe what
// someone is typing. No inline script (CSP); htmx does the requests.
(function () {
  "use strict";

  // Timers: the server renders the elapsed seconds at render time; count on from there.
  function formatClock(seconds) {
    const sign = seconds < 0 ? "+" : "";
    const abs = Math.abs(Math.trunc(seconds));
    const rest = abs % 60;
    return sign + Math.floor(abs / 60) + ":" + (rest < 10 ? "0" : "") + rest;
  }

  function tick() {
    const now = Date.now();
    document.querySelectorAll("[data-timer]").forEach((box) => {
      if (!box.dataset.t0) { box.dataset.t0 = String(now); }
      const running = box.hasAttribute("data-running");
      const elapsed = Number(box.dataset.elapsed) + (running ? (now - Number(box.dataset.t0)) / 1000 : 0);
      const remaining = Number(box.dataset.budget) - elapsed;
      const clock = box.querySelector("[data-clock]");
      if (clock) { clock.textContent = formatClock(remaining); }
      box.classList.toggle("over", remaining < 0);
    });
  }
  setInterval(tick, 1000);

  // Enter saves a small form; in a text area Shift+Enter starts a new line.
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || event.isComposing || event.shiftKey || event.altKey) { return; }
    const field = event.target;
    const form = field.form;
    if (!form) { return; }
    const isArea = field.tagName === "TEXTAREA";
    if (isArea && !field.hasAttribute("data-enter-submit") && !(event.ctrlKey || event.metaKey)) { return; }
    const isChoice = field.tagName === "SELECT" || field.type === "radio" || field.type === "checkbox";
    if (isArea || (isChoice && form.hasAttribute("data-enter-submit-form"))) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  // Section links (and their access keys) put the cursor in the section's first field.
  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-focus]");
    if (!link) { return; }
    const target = document.querySelector(link.dataset.focus);
    if (!target) { return; }
    const field = target.matches("input, textarea, select, button") ? target
      : target.querySelector("input:not([type=hidden]), textarea, select, button") || target;
    window.setTimeout(() => field.focus(), 0);
  });

  // Editing a disagreement opens its form's fold first.
  document.addEventListener("htmx:beforeRequest", (event) => {
    const link = event.detail.elt;
    if (link && link.matches && link.matches("[data-open-details]")) {
      const target = document.querySelector(link.getAttribute("hx-target"));
      const details = target && target.closest("details");
      if (details) { details.open = true; }
    }
  });

  // A poll must not replace a part while someone is typing in it; the next change brings it back in step.
  document.addEventListener("htmx:oobBeforeSwap", (event) => {
    const active = document.activeElement;
    const target = event.detail.target;
    if (target && active && target.contains(active) && active.matches("input, textarea, select")) {
      event.detail.shouldSwap = false;
    }
  });
})();

// A refusal shown by a button (e.g. the record was closed meanwhile) goes away with the next write.
document.addEventListener("htmx:beforeRequest", (event) => {
  const flash = document.getElementById("record-flash");
  if (flash && event.detail.elt && event.detail.elt.id !== "record-poll") { flash.hidden = true; }
});

// Smart-minutes proposals: Dismiss drops one here (nothing was saved); Accept and Edit drop it once the
// topic's form has answered, since its values are then saved or in that form.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-dismiss-proposal]");
  if (button) { button.closest("[data-proposal]").remove(); }
});
document.addEventListener("htmx:afterRequest", (event) => {
  const card = event.detail.elt && event.detail.elt.closest && event.detail.elt.closest("[data-proposal]");
  if (card && event.detail.successful) { card.remove(); }
});
