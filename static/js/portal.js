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
