// Jest reporter that ends the output with one machine-readable line for CI:
//   tests: N passed, M failed
// N = passed tests; M = failed tests + test suites that failed to run (each counted as 1).
// Run standalone, the line is written to stdout when the Jest process exits, so that it comes
// after everything the other reporters print. When TDKT_SUMMARY_FILE is set (by
// infra/scripts/test.mjs), the line is written to that file instead, and test.mjs prints it as
// the last line of `npm test`, after its own timing lines.
'use strict';

const { writeFileSync, writeSync } = require('node:fs');

let lastLine = null;
let exitHookInstalled = false;

function summaryLine(results) {
  const passed = results?.numPassedTests ?? 0;
  const failed = (results?.numFailedTests ?? 0) + (results?.numRuntimeErrorTestSuites ?? 0);
  return `tests: ${passed} passed, ${failed} failed`;
}

class SummaryReporter {
  constructor(_globalConfig, _options) {}

  onRunComplete(_testContexts, results) {
    const line = summaryLine(results);
    const file = process.env.TDKT_SUMMARY_FILE;
    if (file) {
      writeFileSync(file, `${line}\n`);
      return;
    }
    lastLine = line;
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      process.on('exit', () => writeSync(1, `${lastLine}\n`));
    }
  }

  getLastError() {
    return undefined;
  }
}

module.exports = SummaryReporter;
module.exports.summaryLine = summaryLine;
