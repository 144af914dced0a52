// hub.js - progressive enhancement only; the site works without it.
// Moves focus to the error summary when a page shows one (GOV.UK pattern), and lets an
// error-summary link focus its field (scrolling the label or legend into view).
(function () {
  "use strict";
  function init() {
    var summary = document.querySelector(".hub-error-summary");
    if (summary) {
      if (!summary.hasAttribute("tabindex")) summary.setAttribute("tabindex", "-1");
      summary.focus();
      summary.addEventListener("click", function (event) {
        var link = event.target.closest("a[href^='#']");
        if (!link) return;
        var id = link.getAttribute("href").slice(1);
        var input = document.getElementById(id);
        if (!input) return;
        event.preventDefault();
        var legendOrLabel = input.closest("fieldset");
        legendOrLabel = legendOrLabel ? legendOrLabel.querySelector("legend") :
          document.querySelector("label[for='" + id + "']");
        (legendOrLabel || input).scrollIntoView();
        input.focus({ preventScroll: true });
      });
    }
    // Confirm dangerous actions: <form data-hub-confirm="Are you sure?">
    document.querySelectorAll("form[data-hub-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-hub-confirm"))) event.preventDefault();
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
