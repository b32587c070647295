(function () {
  var key = "kvalitet-scroll:" + location.pathname;
  try {
    var saved = sessionStorage.getItem(key);
    if (saved) {
      sessionStorage.removeItem(key);
      var xy = saved.split(",");
      addEventListener("load", function () { scrollTo(+xy[0], +xy[1]); });
    }
  } catch (e) {}
  if (!window.EventSource) return;
  var me = document.currentScript;
  var generation = me.getAttribute("data-generation");
  var statics = me.getAttribute("data-statics");
  var source = new EventSource("/__kvalitet/events");
  var asked = 0;
  function reload() {
    try { sessionStorage.setItem(key, scrollX + "," + scrollY); } catch (e) {}
    source.close();
    location.reload();
  }
  // What in the head says what the page is about, made from its text; anything else changed
  // in the head (style sheets, scripts) loads the page again.
  var TEXTUAL = "title, meta[name=description], meta[property], link[rel=canonical]";
  function each(list, f) { Array.prototype.forEach.call(list, f); }
  function rest(head) {
    var copy = head.cloneNode(true);
    each(copy.querySelectorAll(TEXTUAL), function (e) { e.remove(); });
    return copy.innerHTML;
  }
  function update() {
    if (!window.fetch || !window.DOMParser) return reload();
    var mine = ++asked;
    fetch(location.href, { cache: "no-store", credentials: "same-origin" })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        if (mine !== asked) return;
        var next = new DOMParser().parseFromString(html, "text/html");
        var script = next.querySelector("script[data-kvalitet-live-reload]");
        if (!script || !next.body || script.getAttribute("data-statics") !== statics ||
            rest(next.head) !== rest(document.head)) return reload();
        var x = scrollX, y = scrollY;
        document.body.replaceWith(document.adoptNode(next.body));
        // The title and description follow the text: they change in place too.
        document.title = next.title;
        each(document.head.querySelectorAll(TEXTUAL), function (e) { e.remove(); });
        each(next.head.querySelectorAll(TEXTUAL), function (e) {
          document.head.appendChild(document.adoptNode(e));
        });
        scrollTo(x, y);
        generation = script.getAttribute("data-generation");
      })
      .catch(reload);
  }
  source.addEventListener("hello", function (e) { if (e.data !== generation) update(); });
  source.addEventListener("reload", function (e) { if (e.data !== generation) update(); });
})();
