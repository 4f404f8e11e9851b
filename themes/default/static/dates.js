/* Waymark deadline arithmetic: the same rules as src/dates/, which explains
   them. Works on whole UTC days, so time zones never move a date.
   WaymarkDates.shift("2025-12-01", 28, "working-days", "after", holidays)
   gives "2026-01-13". units: calendar-days, working-days, weeks, months;
   directions: after, before; holidays: a Set (or array) of "YYYY-MM-DD"
   strings, one calendar's from WaymarkDates.calendar. Returns null for bad
   input, and for working days without holidays to leave out. */
(function (root) {
  "use strict";
  var DAY = 864e5;

  // The UTC Date for year y, month m (0-11), day d; safe for years < 100.
  function utc(y, m, d) {
    var t = new Date(0);
    t.setUTCFullYear(y, m, d);
    return t;
  }
  function dayNumber(y, m, d) {
    return Math.round(utc(y, m - 1, d).getTime() / DAY);
  }
  function iso(n) {
    return new Date(n * DAY).toISOString().slice(0, 10);
  }

  function isWorkingDay(n, holidays) {
    var w = new Date(n * DAY).getUTCDay();
    return w !== 0 && w !== 6 && !holidays.has(iso(n));
  }

  function shift(start, amount, unit, direction, holidays) {
    var p = /^(\d{4})-(\d\d)-(\d\d)$/.exec(start);
    var sign = direction === "after" ? 1 : direction === "before" ? -1 : 0;
    if (!p || !sign || !Number.isInteger(amount) || amount < 0) return null;
    var y = +p[1], m = +p[2], d = +p[3], n = dayNumber(y, m, d);
    if (iso(n) !== start) return null; // such as 2025-02-30
    if (unit === "calendar-days") return iso(n + sign * amount);
    if (unit === "weeks") return iso(n + sign * 7 * amount);
    if (unit === "months") {
      var k = y * 12 + m - 1 + sign * amount;
      y = Math.floor(k / 12);
      m = k - y * 12 + 1;
      // Clamp to the last day of the month (day 0 of the next).
      return iso(dayNumber(y, m, Math.min(d, utc(y, m, 0).getUTCDate())));
    }
    if (unit !== "working-days" || !holidays) return null;
    holidays = holidays instanceof Set ? holidays : new Set(holidays);
    for (var left = amount; left > 0; ) {
      n += sign;
      if (isWorkingDay(n, holidays)) left--;
    }
    return iso(n);
  }

  /* One calendar from the build's table of bank holidays (assets/holidays.js
     sets window.WaymarkHolidays to {firstYear, lastYear, calendars: {name:
     ["YYYY-MM-DD", ...]}}; names as in site.yaml, such as "scotland"):
     {holidays: a Set, firstYear, lastYear}, the years the table covers, first
     and last included. null if the table is missing or lacks the calendar. */
  function calendar(table, name) {
    var all = table && table.calendars;
    var days = all && Object.prototype.hasOwnProperty.call(all, name) ? all[name] : null;
    if (!Array.isArray(days)) return null;
    return { holidays: new Set(days), firstYear: table.firstYear, lastYear: table.lastYear };
  }

  var api = { shift: shift, calendar: calendar };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  else root.WaymarkDates = api;
})(typeof window !== "undefined" ? window : globalThis);
