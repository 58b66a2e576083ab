/* Goals charts: draws the Plotly figures that the server built (JSON in a data-td-figure
   attribute; strict CSP: no inline scripts), and switches the alignment page between the
   collapsible tree and the sunburst. */
(function () {
  "use strict";

  function draw(root) {
    if (!window.Plotly || !root || !root.querySelectorAll) {
      return;
    }
    var charts = root.matches && root.matches("[data-td-figure]") ? [root] : [];
    charts = charts.concat(Array.prototype.slice.call(root.querySelectorAll("[data-td-figure]")));
    charts.forEach(function (element) {
      if (element.getAttribute("data-td-drawn")) {
        return;
      }
      element.setAttribute("data-td-drawn", "1");
      var figure = JSON.parse(element.getAttribute("data-td-figure"));
      window.Plotly.newPlot(element, figure.data, figure.layout,
                            {displaylogo: false, displayModeBar: false, responsive: true});
      if (element.hasAttribute("data-td-links")) {
        element.on("plotly_sunburstclick", function (event) {
          var point = event.points && event.points[0];
          if (point && point.customdata) {
            window.location.href = point.customdata;
            return false;
          }
          return true;
        });
      }
    });
  }

  document.addEventListener("htmx:load", function (event) {
    draw(event.detail.elt);
  });
  document.addEventListener("DOMContentLoaded", function () {
    draw(document);
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-td-view]");
    if (!button) {
      return;
    }
    var view = button.getAttribute("data-td-view");
    document.querySelectorAll("[data-td-view-panel]").forEach(function (panel) {
      panel.hidden = panel.getAttribute("data-td-view-panel") !== view;
    });
    document.querySelectorAll("[data-td-view]").forEach(function (other) {
      other.setAttribute("aria-pressed", other === button ? "true" : "false");
    });
    if (window.Plotly) {
      document.querySelectorAll("[data-td-view-panel='" + view + "'] [data-td-drawn]")
        .forEach(function (element) { window.Plotly.Plots.resize(element); });
    }
  });
})();
