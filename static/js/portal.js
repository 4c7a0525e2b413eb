// Small behaviours without inline scripts (the Content-Security-Policy forbids them).
document.addEventListener("change", function (event) {
  var el = event.target;
  if (el.matches && el.matches("[data-autosubmit]") && el.form) {
    el.form.submit();
  }
});
document.addEventListener("click", function (event) {
  var el = event.target.closest ? event.target.closest("[data-confirm]") : null;
  if (el && !window.confirm(el.getAttribute("data-confirm"))) {
    event.preventDefault();
  }
});
// Menus are <details data-menu>: the browser opens them by keyboard and touch; this keeps
// one open at a time, and closes it on Escape (focus back on its summary) or a click outside.
document.addEventListener("toggle", function (event) {
  var menu = event.target;
  if (!menu.matches || !menu.matches("details[data-menu]") || !menu.open) return;
  document.querySelectorAll("details[data-menu][open]").forEach(function (other) {
    if (other !== menu) other.open = false;
  });
}, true);
document.addEventListener("keydown", function (event) {
  if (event.key !== "Escape") return;
  var menu = document.activeElement && document.activeElement.closest
    ? document.activeElement.closest("details[data-menu][open]") : null;
  if (menu) {
    menu.open = false;
    menu.querySelector("summary").focus();
  }
});
document.addEventListener("click", function (event) {
  document.querySelectorAll("details[data-menu][open]").forEach(function (menu) {
    if (!menu.contains(event.target)) menu.open = false;
  });
});
// Phone layouts (issue 15): below 600 px portal.css shows each table row as a stacked block;
// every cell gets its column's heading as data-label, which the CSS prints before it. Wide
// tables (seven columns or more, e.g. the nominations queue) are marked compact: their
// cells flow on a few lines instead of one line each.
function portalLabelTables(root) {
  (root || document).querySelectorAll(".table-wrap > table").forEach(function (table) {
    var row = table.tHead && table.tHead.rows[0];
    if (!row) return;
    var labels = [];
    Array.prototype.forEach.call(row.cells, function (th) {
      var span = th.colSpan || 1;
      for (var i = 0; i < span; i++) labels.push(th.textContent.trim());
    });
    if (labels.length >= 7) table.classList.add("stack-compact");
    table.classList.add("stackable");
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (tr) {
        var col = 0;
        Array.prototype.forEach.call(tr.cells, function (cell) {
          if (!cell.hasAttribute("data-label") && cell.colSpan === 1 && labels[col]) {
            cell.setAttribute("data-label", labels[col]);
          }
          col += cell.colSpan || 1;
        });
      });
    });
  });
}
document.addEventListener("DOMContentLoaded", function () { portalLabelTables(document); });
document.addEventListener("htmx:afterSwap", function (event) { portalLabelTables(event.target.parentNode || document); });
