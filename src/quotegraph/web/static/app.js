// quotegraph: optional enhancements. Every page works without this file (the details of an
// attribution are the target of its link); with it, selecting one shows its details in place
// without jumping, and hovering or focusing a passage outlines all of its pieces.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  function show(id, push) {
    var card = document.getElementById("d-" + id);
    if (!card) return false;
    document.querySelectorAll(".card.shown").forEach(function (c) { c.classList.remove("shown"); });
    card.classList.add("shown");
    document.querySelectorAll(".hl.active").forEach(function (e) { e.classList.remove("active"); });
    document.querySelectorAll('.hl[data-q="' + CSS.escape(id) + '"]').forEach(function (e) { e.classList.add("active"); });
    if (push) history.replaceState(null, "", "#d-" + id);
    return true;
  }
  document.addEventListener("click", function (ev) {
    var a = ev.target.closest && ev.target.closest('a[href^="#d-"]');
    if (!a) return;
    if (show(a.getAttribute("href").slice(3), true)) ev.preventDefault();
  });
  function hover(ev, on) {
    var a = ev.target.closest && ev.target.closest("a.seg");
    if (!a) return;
    var id = a.getAttribute("href").slice(3);
    document.querySelectorAll('.hl[data-q="' + CSS.escape(id) + '"]').forEach(function (e) {
      e.classList.toggle("hover", on);
    });
  }
  document.addEventListener("mouseover", function (ev) { hover(ev, true); });
  document.addEventListener("mouseout", function (ev) { hover(ev, false); });
  document.addEventListener("DOMContentLoaded", function () {
    if (location.hash.indexOf("#d-") === 0) show(location.hash.slice(3), false);
  });
})();
