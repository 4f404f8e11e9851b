/* The flowchart's scroll region: focusable, so that a keyboard can scroll
   it, and hinted, only while the chart is wider than the region. Without
   this script the region is always focusable and the hint shows on every
   screen narrow enough for the widest charts to scroll. */
(function () {
  "use strict";
  var figures = document.querySelectorAll(".flowchart-figure");

  function update() {
    for (var i = 0; i < figures.length; i++) {
      var region = figures[i].querySelector(".flowchart-scroll");
      if (!region) continue;
      // One pixel of slack: widths are rounded differently on zoomed pages.
      var scrolls = region.scrollWidth > region.clientWidth + 1;
      if (scrolls) region.setAttribute("tabindex", "0");
      else region.removeAttribute("tabindex");
      figures[i].classList.toggle("scrolls", scrolls);
      figures[i].classList.toggle("fits", !scrolls);
    }
  }

  // A chart that scrolls opens with its start (the first shape drawn) in the
  // middle of the region, not at the left edge, which may be empty.
  function showStart() {
    for (var i = 0; i < figures.length; i++) {
      var region = figures[i].querySelector(".flowchart-scroll");
      var svg = region && region.querySelector("svg");
      var start = svg && svg.querySelector(".flow-node");
      if (!start || region.scrollWidth <= region.clientWidth + 1 || !svg.viewBox.baseVal) continue;
      var scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
      var box = start.getBBox();
      region.scrollLeft = (box.x + box.width / 2) * scale - region.clientWidth / 2;
    }
  }

  update();
  showStart();
  window.addEventListener("resize", update);
})();
