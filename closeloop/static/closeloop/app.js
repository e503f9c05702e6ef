// Small behaviours without inline script (the CSP forbids it).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-print]");
  if (button) { window.print(); }
});

// htmx does not swap error responses; tell the person instead of failing silently.
document.addEventListener("htmx:responseError", (event) => {
  const status = event.detail.xhr.status;
  // Translated texts come from the page (base.html), so they follow the person's language.
  const texts = document.getElementById("error-texts");
  const pick = (name) => (texts && texts.dataset[name]) || "Error";
  const text = status === 403 ? pick("forbidden") : status === 404 ? pick("notFound") : pick("failed");
  let box = document.getElementById("flash");
  if (!box) {
    box = document.createElement("div");
    box.id = "flash";
    box.className = "flash";
    box.setAttribute("role", "alert");
    document.body.appendChild(box);
  }
  box.textContent = text;
});

// Choosers sharing one list per page (closeloop/lib/choosers.py): the page carries the people and departments
// once, as JSON; each <select data-choices> arrives with its blank and chosen options only and gets the rest here.
(function () {
  "use strict";
  let shared;
  const templates = {};

  function data() {
    if (shared === undefined) {
      const script = document.getElementById("shared-choices");
      shared = script ? JSON.parse(script.textContent) : null;
    }
    return shared;
  }

  function options(rows) {
    const fragment = document.createDocumentFragment();
    rows.forEach(([value, label]) => fragment.appendChild(new Option(label, String(value))));
    return fragment;
  }

  function group(label, rows) {
    const element = document.createElement("optgroup");
    element.label = label;
    element.appendChild(options(rows));
    return element;
  }

  function byDepartment(keep) {
    const fragment = document.createDocumentFragment();
    data().people.forEach(([department, rows]) => {
      const kept = rows.filter(([id]) => keep(id));
      if (kept.length) { fragment.appendChild(group(department, kept)); }
    });
    return fragment;
  }

  function build(source) {
    const d = data();
    const invited = new Set(d.participants);
    if (source === "departments") { return options(d.departments); }
    if (source === "participants") { return byDepartment((id) => invited.has(id)); }
    if (source === "people-not-participants") { return byDepartment((id) => !invited.has(id)); }
    if (source === "people-participants-first") {
      const everyone = d.people.flatMap(([, rows]) => rows);
      const fragment = document.createDocumentFragment();
      fragment.appendChild(group(d.labels.participants, everyone.filter(([id]) => invited.has(id))));
      fragment.appendChild(group(d.labels.others, everyone.filter(([id]) => !invited.has(id))));
      return fragment;
    }
    return byDepartment(() => true);
  }

  function fill(select) {
    if (!data()) { return; }
    const source = select.dataset.choices;
    if (!templates[source]) { templates[source] = build(source); }
    const chosen = new Set(Array.from(select.selectedOptions, (o) => o.value));
    Array.from(select.options).forEach((o) => { if (o.value !== "") { o.remove(); } });
    select.appendChild(templates[source].cloneNode(true));
    Array.from(select.options).forEach((o) => { if (o.value !== "") { o.selected = chosen.has(o.value); } });
    select.dataset.filled = "";
  }

  function fillAll(root) {
    if (!root || !root.querySelectorAll) { return; }
    if (root.matches && root.matches("select[data-choices]:not([data-filled])")) { fill(root); }
    root.querySelectorAll("select[data-choices]:not([data-filled])").forEach(fill);
  }

  document.addEventListener("DOMContentLoaded", () => fillAll(document));
  document.addEventListener("htmx:load", (event) => fillAll(event.detail.elt));
})();
