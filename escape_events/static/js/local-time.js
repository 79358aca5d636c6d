// Adds the visitor's own local time under every event time shown in the event's zone.
(function () {
  "use strict";
  var visitorZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  document.querySelectorAll("time.when").forEach(function (el) {
    if (el.dataset.allDay === "1" || !visitorZone || visitorZone === el.dataset.zone) return;
    var start = new Date(el.dataset.start), end = new Date(el.dataset.end);
    var day = new Intl.DateTimeFormat(undefined, { weekday: "short", day: "numeric", month: "short", timeZone: visitorZone });
    var hour = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: visitorZone, timeZoneName: "short" });
    var span = document.createElement("span");
    span.className = "local-time";
    if (el.dataset.clock === "1") {
      // An agenda item shows only its hours: repeat the day only when it differs for the visitor.
      var eventDay = el.getAttribute("datetime").slice(0, 10);
      var visitorDay = new Intl.DateTimeFormat("en-CA", { timeZone: visitorZone }).format(start);
      var clock = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: visitorZone });
      span.textContent = "Your time: " + (visitorDay === eventDay ? "" : day.format(start) + ", ") + clock.format(start) + "–" + hour.format(end);
    } else {
      span.textContent = "Your time: " + day.format(start) + ", " + hour.format(start) + " – " + (start.toDateString() === end.toDateString() ? "" : day.format(end) + ", ") + hour.format(end);
    }
    el.insertAdjacentElement("afterend", span);
  });
})();
