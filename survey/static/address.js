// A saved survey or test page answers with the next page itself (or, at the end, with the
// result), not with a redirect to it: one request per page instead of two. The address bar then still shows the page that was
// sent: put the shown page's own address there, so that reloading reads it again (a GET, not
// a repeated POST), and a bookmark or a copied link leads to it.
(function () {
  "use strict";
  var address = document.body.getAttribute("data-address");
  if (address && window.history && window.history.replaceState &&
      window.location.pathname !== address) {
    window.history.replaceState(null, "", address);
  }
})();
