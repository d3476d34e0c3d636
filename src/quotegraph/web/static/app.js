// quotegraph: optional enhancements. Every page works without this file (the details of an
// attribution are the target of its link); with it, selecting one shows its details in place
// without jumping, and hovering or focusing a passage outlines all of its pieces. On a narrow
// screen (a phone), where the side panel falls below the whole text, the details are placed in
// the text right after the selected passage, and go back to the panel on a wide one.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var narrow = window.matchMedia("(max-width: 900px)");
  function place(card, id) {
    var home = document.querySelector(".details");
    var pieces = document.querySelectorAll('article.text .hl[data-q="' + CSS.escape(id) + '"]');
    var last = pieces.length ? pieces[pieces.length - 1] : null;
    var para = last && last.closest(".para");
    if (narrow.matches && para) {
      var at = last;  // the passage's piece that is a child of its paragraph: the card goes after it
      while (at.parentElement !== para) at = at.parentElement;
      at.after(card);
      card.classList.add("inline");
    } else if (home && card.parentElement !== home) {
      home.appendChild(card);
      card.classList.remove("inline");
    }
  }
  function show(id, push) {
    var card = document.getElementById("d-" + id);
    if (!card) return false;
    document.querySelectorAll(".card.shown").forEach(function (c) { c.classList.remove("shown"); });
    card.classList.add("shown");
    place(card, id);
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
  narrow.addEventListener("change", function () {
    var card = document.querySelector(".card.shown");
    if (card) place(card, card.id.slice(2));
  });
  document.addEventListener("DOMContentLoaded", function () {
    if (location.hash.indexOf("#d-") === 0) show(location.hash.slice(3), false);
  });
})();
