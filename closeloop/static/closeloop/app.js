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
