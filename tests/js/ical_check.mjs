// Parse an iCalendar file with Mozilla's ical.js (Thunderbird's parser) and print what it read.
// Usage: node tests/js/ical_check.mjs FILE [RANGE_START RANGE_END]
// Prints JSON: every VEVENT as ical.js sees it and, with a range, every occurrence of every
// event in [start, end) in UTC, recurrence expanded by ical.js itself (RRULE, RDATE, EXDATE,
// RECURRENCE-ID overrides, VTIMEZONE rules from the file).
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const [file, rangeStart, rangeEnd] = process.argv.slice(2);
const root = new ICAL.Component(ICAL.parse(readFileSync(file, "utf8")));

const zones = root.getAllSubcomponents("vtimezone").map((vtimezone) => {
  const zone = new ICAL.Timezone(vtimezone);
  ICAL.TimezoneService.register(zone.tzid, zone);
  return zone.tzid;
});

const utc = (time) => (time.isDate ? time.toString() : time.toJSDate().toISOString());
const masters = new Map();
const exceptions = [];
const events = root.getAllSubcomponents("vevent").map((vevent) => {
  const event = new ICAL.Event(vevent);
  if (event.isRecurrenceException()) exceptions.push(event);
  else masters.set(event.uid, event);
  const start = vevent.getFirstProperty("dtstart");
  return {
    uid: event.uid,
    summary: event.summary,
    description: event.description,
    location: event.location,
    status: vevent.getFirstPropertyValue("status"),
    sequence: event.sequence,
    start: utc(event.startDate),
    end: utc(event.endDate),
    all_day: event.startDate.isDate,
    tzid: start.getParameter("tzid") || null,
    recurrence_id: event.recurrenceId ? utc(event.recurrenceId) : null,
    recurring: event.isRecurring(),
  };
});
for (const exception of exceptions) {
  const master = masters.get(exception.uid);
  if (master) master.relateException(exception);
}

const occurrences = [];
if (rangeStart && rangeEnd) {
  const after = new Date(rangeStart);
  const before = new Date(rangeEnd);
  // Overrides may move a meeting by days: look at original dates a little past the range.
  const horizon = new Date(before.getTime() + 62 * 86400000);
  for (const master of masters.values()) {
    if (!master.isRecurring()) {
      const start = master.startDate.toJSDate();
      if (start < before && master.endDate.toJSDate() > after) {
        occurrences.push({ uid: master.uid, summary: master.summary, start: utc(master.startDate) });
      }
      continue;
    }
    const iterator = master.iterator();
    for (let next = iterator.next(); next; next = iterator.next()) {
      if (next.toJSDate() >= horizon) break;
      const details = master.getOccurrenceDetails(next);
      if (details.startDate.toJSDate() >= before || details.endDate.toJSDate() <= after) continue;
      occurrences.push({
        uid: master.uid,
        summary: details.item.summary,
        start: utc(details.startDate),
      });
    }
  }
  occurrences.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
}

process.stdout.write(JSON.stringify({ timezones: zones, events, occurrences }));
