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
    span.textContent = "Your time: " + day.format(start) + ", " + hour.format(start) + " – " + (start.toDateString() === end.toDateString() ? "" : day.format(end) + ", ") + hour.format(end);
    el.insertAdjacentElement("afterend", span);
  });
})();
