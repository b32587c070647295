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
            next.head.innerHTML !== document.head.innerHTML) return reload();
        var x = scrollX, y = scrollY;
        document.body.replaceWith(document.adoptNode(next.body));
        scrollTo(x, y);
        generation = script.getAttribute("data-generation");
      })
      .catch(reload);
  }
  source.addEventListener("hello", function (e) { if (e.data !== generation) update(); });
  source.addEventListener("reload", function (e) { if (e.data !== generation) update(); });
})();
