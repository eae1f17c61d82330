// "Print" buttons (data-print): a static file, so the Content-Security-Policy allows no
// inline handler.
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest("[data-print]");
  if (button) { window.print(); }
});
