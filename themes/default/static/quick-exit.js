/* "Forlad siden hurtigt": the link works without this script. With it, leaving replaces this
   page in the history (the Back button does not lead here again), and pressing Escape three
   times within two seconds leaves too. No request goes anywhere but the link's own address. */
(function () {
  "use strict";
  var link = document.querySelector("[data-quick-exit]");
  if (!link) return;
  function leave() {
    window.location.replace(link.href);
  }
  link.addEventListener("click", function (event) {
    if (event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    leave();
  });
  var presses = [];
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" && event.key !== "Esc") return;
    var now = Date.now();
    presses = presses.filter(function (t) { return now - t < 2000; });
    presses.push(now);
    if (presses.length >= 3) leave();
  });
})();
