/* "Forlad siden hurtigt": the link works without this script. With it, leaving replaces this
   page in the history (the Back button does not lead here again), and pressing Escape three
   times within two seconds leaves too. The listeners sit on the document, so they keep working
   when the preview swaps the body. No request goes anywhere but the link's own address. */
(function () {
  "use strict";
  function leave(link) {
    window.location.replace(link.href);
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-quick-exit]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    leave(link);
  });
  var presses = [];
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" && event.key !== "Esc") return;
    var now = Date.now();
    presses = presses.filter(function (t) { return now - t < 2000; });
    presses.push(now);
    var link = document.querySelector("[data-quick-exit]");
    if (presses.length >= 3 && link) leave(link);
  });
})();
