// validate.js checks a data package with Frictionless Data's own
// JavaScript library (npm datapackage, pinned in package-lock.json): the
// descriptor against the Tabular Data Package profile, then every row of
// every CSV resource against its Table Schema (types, constraints,
// primary and foreign keys). It prints every problem, one a line, and
// exits 1 when there is any; otherwise it prints what it checked.
//
// Usage: NODE_PATH=<dir>/node_modules node validate.js <datapackage.json>
"use strict";
const path = require("path");
// The library adds a listener per row check; more than ten is no leak.
require("events").EventEmitter.defaultMaxListeners = 0;
const { Package } = require("datapackage");

async function main() {
  const file = process.argv[2];
  if (!file) {
    console.error("usage: node validate.js <datapackage.json>");
    process.exit(2);
  }
  const problems = [];
  const pkg = await Package.load(path.resolve(file), { strict: false });
  if (!pkg.valid) {
    for (const e of pkg.errors) problems.push(`${file}: descriptor: ${e.message}`);
  }
  if (pkg.descriptor.profile !== "tabular-data-package") {
    problems.push(`${file}: profile is ${JSON.stringify(pkg.descriptor.profile)}, want "tabular-data-package"`);
  }
  let rows = 0;
  for (const res of pkg.resources) {
    const name = res.name;
    if (!res.valid) {
      for (const e of res.errors) problems.push(`${name}: descriptor: ${e.message}`);
      continue;
    }
    if (!res.tabular) {
      problems.push(`${name}: not a tabular resource`);
      continue;
    }
    try {
      const it = await res.iter({ relations: true, forceCast: true });
      let n = 0;
      for (;;) {
        const { value, done } = await it.next();
        if (done) break;
        n++;
        if (value instanceof Error) {
          const errs = value.errors && value.errors.length ? value.errors : [value];
          for (const e of errs) problems.push(`${name}: row ${n + 1}: ${e.message}`);
        }
      }
      rows += n;
      const want = res.schema.fieldNames;
      const got = res.headers;
      if (JSON.stringify(got) !== JSON.stringify(want)) {
        problems.push(`${name}: header ${JSON.stringify(got)} is not the schema's fields ${JSON.stringify(want)}`);
      }
      if (n === 0 && name !== "orgs" && !name.startsWith("report-")) {
        // An empty table is allowed; say so, since it is rare.
        console.log(`${name}: no rows`);
      }
    } catch (e) {
      problems.push(`${name}: ${e.message}${e.rowNumber ? " (row " + e.rowNumber + ")" : ""}`);
    }
  }
  if (problems.length) {
    for (const p of problems) console.log(p);
    process.exit(1);
  }
  console.log(`valid: ${pkg.resources.length} resources, ${rows} rows`);
}

main().catch((e) => {
  console.log(`error: ${e.stack || e}`);
  process.exit(1);
});
