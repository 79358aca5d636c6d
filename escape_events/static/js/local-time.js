// Adds the visitor's own local time under every event time shown in the event's zone.
//
// Its words come translated from the page, not from a JavaScript catalogue: the script tag
// carries them (data-your-time="Your time: %(time)s", {% translate %} in partials/site_head.html),
// so there is no extra request and one catalogue (django.po) holds every text. Dates and times
// are written by Intl in the page's language (<html lang>), with its names and order.
(function () {
  "use strict";
  var texts = document.currentScript ? document.currentScript.dataset : {};
  var label = texts.yourTime || "Your time: %(time)s";
  // The page's language; in the visitor's own variant of it when they share it (a New Yorker on
  // the en-gb page reads "EST", not "GMT-5"): the local time is theirs.
  var page = document.documentElement.lang || "";
  var own = navigator.language || "";
  var language = (page && own.split("-")[0] !== page.split("-")[0] ? page : own) || undefined;
  var visitorZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  function say(time) {
    return label.replace("%(time)s", time);
  }
  document.querySelectorAll("time.when").forEach(function (el) {
    if (el.dataset.allDay === "1" || !visitorZone || visitorZone === el.dataset.zone) return;
    var start = new Date(el.dataset.start), end = new Date(el.dataset.end);
    var day = new Intl.DateTimeFormat(language, { weekday: "short", day: "numeric", month: "short", timeZone: visitorZone });
    var hour = new Intl.DateTimeFormat(language, { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: visitorZone, timeZoneName: "short" });
    var span = document.createElement("span");
    span.className = "local-time";
    if (el.dataset.clock === "1") {
      // An agenda item shows only its hours: repeat the day only when it differs for the visitor.
      var eventDay = el.getAttribute("datetime").slice(0, 10);
      var visitorDay = new Intl.DateTimeFormat("en-CA", { timeZone: visitorZone }).format(start);
      var clock = new Intl.DateTimeFormat(language, { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: visitorZone });
      span.textContent = say((visitorDay === eventDay ? "" : day.format(start) + ", ") + clock.format(start) + "–" + hour.format(end));
    } else {
      span.textContent = say(day.format(start) + ", " + hour.format(start) + " – " + (start.toDateString() === end.toDateString() ? "" : day.format(end) + ", ") + hour.format(end));
    }
    el.insertAdjacentElement("afterend", span);
  });
})();
