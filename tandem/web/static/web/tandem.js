/* Tandem: the little behaviour the pages need beyond Bootstrap and htmx. Loaded as a static
   file (strict CSP: no inline scripts, no inline event handlers). */
(function () {
  "use strict";

  // The language switch returns to the page as it is now, filters included, even after htmx
  // has changed the address (hx-push-url) since the page was rendered.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("[data-td-language]")) {
      return;
    }
    var next = form.querySelector("input[name=next]");
    if (next) {
      next.value = window.location.pathname + window.location.search;
    }
  });

  // A failed htmx request shows the page's error banner instead of failing silently.
  function showError() {
    var banner = document.getElementById("td-htmx-error");
    if (banner) {
      banner.hidden = false;
    }
  }
  function hideError() {
    var banner = document.getElementById("td-htmx-error");
    if (banner) {
      banner.hidden = true;
    }
  }
  document.addEventListener("htmx:responseError", showError);
  document.addEventListener("htmx:sendError", showError);
  document.addEventListener("htmx:afterSwap", hideError);

  // On a phone the navigation is an offcanvas panel: close it once a link was chosen.
  document.addEventListener("click", function (event) {
    var link = event.target.closest(".td-sidebar a.nav-link");
    if (!link || !window.bootstrap) {
      return;
    }
    var panel = window.bootstrap.Offcanvas.getInstance(document.getElementById("td-sidebar"));
    if (panel) {
      panel.hide();
    }
  });
})();
