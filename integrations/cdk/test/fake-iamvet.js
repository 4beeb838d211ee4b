#!/usr/bin/env node
// A stand-in for the iamvet binary in the unit tests. It prints the JSON
// fixture named by FAKE_IAMVET_FIXTURE with the template path it was given
// substituted for @TEMPLATE@ (and its realpath for @TEMPLATE_REAL@), computes
// summary.blocking and the exit code from --fail-on like iamvet does, and
// records its argv. Knobs (env):
//   FAKE_IAMVET_FIXTURE  fixture file (default fixtures/findings.json)
//   FAKE_IAMVET_EXIT     force this exit code
//   FAKE_IAMVET_STDERR   print this on stderr
//   FAKE_IAMVET_STDOUT   print this instead of the fixture
//   FAKE_IAMVET_ARGV     write argv (JSON) to this file
//   FAKE_IAMVET_SLEEP_MS sleep this long first
'use strict';
const fs = require('fs');
const path = require('path');

const args = process.argv.slice(2);
if (process.env.FAKE_IAMVET_ARGV) {
  fs.writeFileSync(process.env.FAKE_IAMVET_ARGV, JSON.stringify(args));
}
const sleep = Number(process.env.FAKE_IAMVET_SLEEP_MS || 0);
if (sleep > 0) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, sleep);
}
if (process.env.FAKE_IAMVET_STDERR) {
  process.stderr.write(process.env.FAKE_IAMVET_STDERR);
}
const rank = { none: 0, low: 1, medium: 2, high: 3, critical: 4 };
const flag = name => {
  const i = args.indexOf(name);
  return i >= 0 && i < args.indexOf('--') ? args[i + 1] : undefined;
};
const failOn = flag('--fail-on') || 'low';
const sarif = flag('--sarif');

if (process.env.FAKE_IAMVET_STDOUT !== undefined) {
  process.stdout.write(process.env.FAKE_IAMVET_STDOUT);
  process.exit(Number(process.env.FAKE_IAMVET_EXIT || 0));
}
const templates = args.slice(args.indexOf('--') + 1);
const template = templates[0] || '';
let real = template;
try {
  real = fs.realpathSync(template);
} catch {
  // keep as given
}
const fixture = process.env.FAKE_IAMVET_FIXTURE || path.join(__dirname, 'fixtures', 'findings.json');
const text = fs.readFileSync(fixture, 'utf8')
  .split('@TEMPLATE_REAL@').join(JSON.stringify(real).slice(1, -1))
  .split('@TEMPLATE@').join(JSON.stringify(template).slice(1, -1));
const out = JSON.parse(text);
if (out.summary && Array.isArray(out.findings)) {
  const listed = out.findings.filter(f => !f.suppression);
  out.summary.failOn = failOn;
  out.summary.findings = listed.length;
  out.summary.blocking = rank[failOn] === 0 ? 0 : listed.filter(f => rank[f.severity] >= rank[failOn]).length;
}
if (sarif) {
  fs.writeFileSync(sarif, '{"version":"2.1.0","runs":[]}\n');
}
process.stdout.write(JSON.stringify(out, null, 2) + '\n');
const forced = process.env.FAKE_IAMVET_EXIT;
process.exit(forced !== undefined ? Number(forced) : out.summary && out.summary.blocking > 0 ? 1 : 0);
