/* KPI pages: show the indicator form's rule-dependent fields (bands, penalty points) only for
   the rule that uses them. A static file: the CSP forbids inline scripts. */
(function () {
  "use strict";

  function sync(form) {
    var rule = form.querySelector("select[name=rule]");
    if (!rule) {
      return;
    }
    form.querySelectorAll("[data-kpi-rule]").forEach(function (input) {
      var wrapper = input.closest(".mb-3") || input.parentElement;
      wrapper.classList.add("td-kpi-rule-field");
      wrapper.hidden = input.getAttribute("data-kpi-rule") !== rule.value;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-kpi-indicator]").forEach(sync);
  });
  document.addEventListener("change", function (event) {
    var form = event.target.closest("form[data-kpi-indicator]");
    if (form && event.target.name === "rule") {
      sync(form);
    }
  });
})();
