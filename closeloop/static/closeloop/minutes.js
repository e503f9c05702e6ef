// Minutes editor: nothing typed is lost by leaving the page, and destructive buttons ask first (no inline script).
(function () {
  let dirty = false;
  document.addEventListener("input", (event) => {
    if (event.target.closest("form[data-dirty-guard]")) { dirty = true; }
  });
  document.addEventListener("submit", (event) => {
    const form = event.target;
    const question = form.dataset.confirm;
    if (question && !window.confirm(question)) { event.preventDefault(); return; }
    if (form.matches("[data-dirty-guard]")) { dirty = false; }
  });
  window.addEventListener("beforeunload", (event) => {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });
})();
