/* Browsers that cannot open <details> from CSS: open them just before printing. */
window.addEventListener("beforeprint", function () {
  document.querySelectorAll("details:not([open])").forEach(function (d) {
    d.setAttribute("open", "");
    d.setAttribute("data-print-opened", "");
  });
});
window.addEventListener("afterprint", function () {
  document.querySelectorAll("details[data-print-opened]").forEach(function (d) {
    d.removeAttribute("open");
    d.removeAttribute("data-print-opened");
  });
});
