// waymark serve's live reload: only ever sent by `waymark serve`, never part of a built site.
//
// Polls the version endpoint beside this script (so it works on any host, port
// and sub-path) and reloads the page when the site has been rebuilt. When a
// rebuild fails it shows the errors over the page, exactly as the terminal
// does, and takes them away once the site builds again. The overlay is made
// with DOM calls and styled by live.css: no inline script or style, so the
// page's Content-Security-Policy (default-src 'self') holds.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.fetch) return;
  var src = new URL(script.src, document.baseURI);
  var base = new URL(".", src);
  var versionUrl = new URL("version", base).href;
  var known = src.searchParams.get("v");
  var overlay = null;
  var hiddenText = null;
  var shownText = null;

  var sheet = document.createElement("link");
  sheet.rel = "stylesheet";
  sheet.href = new URL("live.css", base).href;
  document.head.appendChild(sheet);

  function element(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text) e.textContent = text;
    return e;
  }

  function show(count, text, built) {
    if (text === hiddenText) return;
    if (overlay && text === shownText) return;
    hide();
    overlay = element("section", "waymark-live-overlay");
    overlay.setAttribute("role", "alert");
    overlay.setAttribute("aria-label", "Build errors");
    var box = element("div", "waymark-live-box");
    box.appendChild(
      element("h2", "waymark-live-title", count === 1 ? "The site has an error" : "The site has " + count + " errors")
    );
    box.appendChild(
      element(
        "p",
        "waymark-live-note",
        built
          ? "You are seeing the last version that built. Fix the file and save: this message goes by itself."
          : "The site has not built yet. Fix the file and save: the site then appears here by itself."
      )
    );
    box.appendChild(element("pre", "waymark-live-diagnostics", text));
    var close = element("button", "waymark-live-close", "Hide");
    close.type = "button";
    close.addEventListener("click", function () {
      hiddenText = text;
      hide();
    });
    box.appendChild(close);
    overlay.appendChild(box);
    document.body.appendChild(overlay);
    shownText = text;
  }

  function hide() {
    if (overlay) overlay.remove();
    overlay = null;
    shownText = null;
  }

  function poll() {
    fetch(versionUrl, { cache: "no-store" })
      .then(function (response) {
        return response.json();
      })
      .then(function (status) {
        if (known === null) known = String(status.version);
        if (String(status.version) !== known) {
          location.reload();
          return;
        }
        if (status.errors > 0) show(status.errors, status.diagnostics, status.built);
        else {
          hiddenText = null;
          hide();
        }
        setTimeout(poll, 400);
      })
      .catch(function () {
        // The server is restarting or stopped: try again, more slowly.
        setTimeout(poll, 2000);
      });
  }

  poll();
})();
