/* The test's clock (templates/respondent/_timer.html). Loaded as a file, never inline, so a
   strict Content-Security-Policy allows it. The server holds the deadline: this only shows it,
   warns at 5 minutes and at 1 minute left (visibly and to screen readers, through a polite
   status region) and, at zero, says so and sends what is chosen with action "timeout". */
(function () {
  "use strict";
  var clock = document.getElementById("timer");
  var status = document.getElementById("timer-status");
  if (!clock || !status) { return; }
  var form = document.getElementById("page-form") || document.getElementById("timeout-form");
  var end = Date.now() + 1000 * parseInt(clock.getAttribute("data-seconds"), 10);
  var warned = {}, sent = false;

  function say(text) {
    status.hidden = false;
    status.textContent = text;
  }

  function send() {
    if (!form) { return; }
    var action = form.querySelector('input[type=hidden][name="action"]');
    if (!action) {
      action = document.createElement("input");
      action.type = "hidden"; action.name = "action";
      form.appendChild(action);
    }
    action.value = "timeout";
    form.noValidate = true;
    form.submit();
  }

  function tick() {
    var left = Math.max(0, Math.round((end - Date.now()) / 1000));
    var m = Math.floor(left / 60), s = left % 60;
    clock.textContent = m + ":" + (s < 10 ? "0" : "") + s;
    if (left <= 300) { clock.parentNode.classList.add("low"); }
    if (left === 0) {
      if (!sent) {
        sent = true;
        say(status.getAttribute("data-expired"));
        setTimeout(send, 1500);  // long enough to read and hear why the page changes
      }
      return;
    }
    if (left <= 60 && !warned[1]) {
      warned[1] = warned[5] = true;
      say(status.getAttribute("data-warn-1"));
    } else if (left <= 300 && !warned[5]) {
      warned[5] = true;
      say(status.getAttribute("data-warn-5"));
    }
    setTimeout(tick, 1000 - (Date.now() % 1000) || 1000);
  }
  tick();
})();
