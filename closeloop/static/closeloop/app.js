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
// A swap may bring a new copy of the list (someone was invited): every chooser is then filled again from it.
(function () {
  "use strict";
  let shared = null;
  let sharedScript = null;
  let version = 0;
  let templates = {};

  function data() {
    const script = document.getElementById("shared-choices");
    if (script !== sharedScript) {
      sharedScript = script;
      shared = script ? JSON.parse((script.content || script).textContent) : null;
      templates = {};
      version += 1;
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
    shared.people.forEach(([department, rows]) => {
      const kept = rows.filter(([id]) => keep(id));
      if (kept.length) { fragment.appendChild(group(department, kept)); }
    });
    return fragment;
  }

  function build(source) {
    const invited = new Set(shared.participants);
    if (source === "departments") { return options(shared.departments); }
    if (source === "participants") { return byDepartment((id) => invited.has(id)); }
    if (source === "people-not-participants") { return byDepartment((id) => !invited.has(id)); }
    if (source === "people-participants-first") {
      const everyone = shared.people.flatMap(([, rows]) => rows);
      const fragment = document.createDocumentFragment();
      fragment.appendChild(group(shared.labels.participants, everyone.filter(([id]) => invited.has(id))));
      fragment.appendChild(group(shared.labels.others, everyone.filter(([id]) => !invited.has(id))));
      return fragment;
    }
    return byDepartment(() => true);
  }

  function fill(select) {
    const source = select.dataset.choices;
    if (!templates[source]) { templates[source] = build(source); }
    const chosen = new Set(Array.from(select.selectedOptions, (o) => o.value));
    Array.from(select.options).forEach((o) => { if (o.value !== "") { o.remove(); } });
    Array.from(select.querySelectorAll("optgroup")).forEach((g) => g.remove());
    select.appendChild(templates[source].cloneNode(true));
    Array.from(select.options).forEach((o) => { if (o.value !== "") { o.selected = chosen.has(o.value); } });
    select.dataset.filled = String(version);
  }

  function fillAll() {
    if (!data()) { return; }
    document.querySelectorAll("select[data-choices]").forEach((select) => {
      if (select.dataset.filled !== String(version)) { fill(select); }
    });
  }

  document.addEventListener("DOMContentLoaded", fillAll);
  document.addEventListener("htmx:load", fillAll);
  document.addEventListener("htmx:afterSettle", fillAll);
})();
