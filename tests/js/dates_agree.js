// Checks themes/default/static/dates.js against answers worked out by the
// Rust module src/dates (`shift` in src/dates/deadline.rs, the holidays from
// `holidays_json` in src/dates/holidays.rs). Run by tests/dates_agree.rs:
//
//   node tests/js/dates_agree.js DATES_JS CASES_FILE
//
// CASES_FILE lines:
//   1: JSON array of bank holidays ("YYYY-MM-DD"), from holidays_json
//   2: JSON array of deadline kinds, each [amount, unit, direction]
//   3…: a start date, then Rust's answer for each kind ("-" for none),
//       separated by single spaces
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
const { shift } = require(path.resolve(datesJs));
const lines = fs.readFileSync(casesFile, "utf8").split("\n");
const holidays = new Set(JSON.parse(lines[0]));
const kinds = JSON.parse(lines[1]);

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

let checked = 0;
let mismatches = 0;
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
for (let i = 2; i < lines.length; i++) {
  if (lines[i] === "") continue;
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
