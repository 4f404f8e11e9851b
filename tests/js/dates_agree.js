// Checks themes/default/static/dates.js against answers worked out by the
// Rust module src/dates (`shift` in src/dates/deadline.rs, the table of bank
// holidays from `holidays_table_json` in src/dates/holidays.rs). Run by
// tests/dates_agree.rs:
//
//   node tests/js/dates_agree.js DATES_JS CASES_FILE
//
// CASES_FILE lines:
//   1: the table of bank holidays as assets/holidays.js carries it:
//      {"firstYear":…,"lastYear":…,"calendars":{"england-and-wales":[…],…}}
//   2: JSON array of deadline kinds, each [amount, unit, direction]
//   then, for each calendar, "calendar NAME" and lines of a start date and
//   Rust's answer for each kind in that calendar ("-" for none), separated by
//   single spaces
//
// Prints each mismatch (the first 20) and then "checked N cases, M mismatches";
// exits 1 if there was any mismatch, 2 if the file was malformed.
"use strict";
const fs = require("fs");
const path = require("path");

const [datesJs, casesFile] = process.argv.slice(2);
if (!datesJs || !casesFile) {
  console.error("usage: node dates_agree.js DATES_JS CASES_FILE");
  process.exit(2);
}
const { shift, calendar } = require(path.resolve(datesJs));
const lines = fs.readFileSync(casesFile, "utf8").split("\n");
const table = JSON.parse(lines[0]);
const kinds = JSON.parse(lines[1]);
const holidaysOf = (name) => (calendar(table, name) || { holidays: null }).holidays;

// A few answers that do not depend on Rust, so that a script that returned
// garbage in both would still be caught.
const fixed = [
  [["2025-12-01", 28, "working-days", "after"], "2026-01-13"],
  [["2026-01-02", 5, "working-days", "before"], "2025-12-23"],
  [["2025-01-31", 1, "months", "after"], "2025-02-28"],
  [["2024-01-31", 1, "months", "after"], "2024-02-29"],
  [["2025-04-30", 1, "months", "after"], "2025-05-30"],
  [["2025-12-27", 0, "working-days", "after"], "2025-12-27"],
  [["2025-02-30", 1, "weeks", "after"], null],
  [["2025-01-01", 1, "fortnights", "after"], null],
  [["2025-01-01", 1, "weeks", "sideways"], null],
  [["2025-01-01", -1, "weeks", "after"], null],
];
// Where the calendars differ: Easter Monday is not a bank holiday in
// Scotland; St Patrick's Day is one in Northern Ireland only, St Andrew's Day
// in Scotland only.
const fixedIn = [
  ["england-and-wales", ["2026-04-02", 1, "working-days", "after"], "2026-04-07"],
  ["scotland", ["2026-04-02", 1, "working-days", "after"], "2026-04-06"],
  ["england-and-wales", ["2026-03-16", 1, "working-days", "after"], "2026-03-17"],
  ["northern-ireland", ["2026-03-16", 1, "working-days", "after"], "2026-03-18"],
  ["england-and-wales", ["2026-11-27", 1, "working-days", "after"], "2026-11-30"],
  ["scotland", ["2026-11-27", 1, "working-days", "after"], "2026-12-01"],
  // No calendar of that name, so no holidays: working days cannot be counted.
  ["wales", ["2026-11-27", 1, "working-days", "after"], null],
];

let checked = 0;
let mismatches = 0;
let holidays = holidaysOf("england-and-wales");
function check(args, want) {
  const got = shift(...args, holidays);
  checked++;
  if (got !== want) {
    mismatches++;
    if (mismatches <= 20) {
      console.log(`mismatch: ${args.join(" ")}: expected ${want}, dates.js gave ${got}`);
    }
  }
}

for (const [args, want] of fixed) check(args, want);
for (const [name, args, want] of fixedIn) {
  holidays = holidaysOf(name);
  check(args, want);
}
// The table's years, as the build wrote them.
if (calendar(table, "scotland").firstYear !== table.firstYear ||
    calendar(table, "scotland").lastYear !== table.lastYear ||
    calendar(null, "scotland") !== null) {
  console.log("calendar() does not give the table's years, or accepts no table");
  process.exit(1);
}
for (let i = 2; i < lines.length; i++) {
  if (lines[i] === "") continue;
  if (lines[i].startsWith("calendar ")) {
    holidays = holidaysOf(lines[i].slice("calendar ".length));
    if (!holidays) {
      console.log(`line ${i + 1}: dates.js has no ${lines[i]}`);
      process.exit(1);
    }
    continue;
  }
  const fields = lines[i].split(" ");
  if (fields.length !== kinds.length + 1) {
    console.log(`line ${i + 1}: expected ${kinds.length + 1} fields, found ${fields.length}`);
    process.exit(2);
  }
  kinds.forEach(([amount, unit, direction], k) => {
    const want = fields[k + 1] === "-" ? null : fields[k + 1];
    check([fields[0], amount, unit, direction], want);
  });
}
console.log(`checked ${checked} cases, ${mismatches} mismatches`);
process.exit(mismatches === 0 ? 0 : 1);
