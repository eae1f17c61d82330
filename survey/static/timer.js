// The respondent's test timer: counts down from the server's remaining seconds and, at zero,
// submits the page as "next" (the server decides what counts; this only saves a click).
// A static file, so the Content-Security-Policy allows no inline script.
(function () {
  var el = document.getElementById("timer"), form = document.getElementById("page-form");
  if (!el || !form) { return; }
  var end = Date.now() + 1000 * parseInt(el.getAttribute("data-seconds"), 10), sent = false;
  function tick() {
    var left = Math.max(0, Math.round((end - Date.now()) / 1000));
    var m = Math.floor(left / 60), s = left % 60;
    el.textContent = m + ":" + (s < 10 ? "0" : "") + s;
    if (left === 0 && !sent) {
      sent = true;
      var action = document.createElement("input");
      action.type = "hidden"; action.name = "action"; action.value = "next";
      form.appendChild(action); form.submit();
    } else if (!sent) { setTimeout(tick, 1000); }
  }
  tick();
})();
