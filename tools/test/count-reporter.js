// Jest reporter that records each project's pass/fail counts, so `npm test` can print one summary
// line for the whole workspace (`tests: N passed, M failed`).
const fs = require('node:fs');
const path = require('node:path');

class CountReporter {
  constructor(globalConfig) {
    this.globalConfig = globalConfig;
  }

  onRunComplete(_contexts, results) {
    const dir = process.env.TEST_RESULTS_DIR;
    if (!dir) return;
    fs.mkdirSync(dir, { recursive: true });
    // Suites that could not run at all (a syntax error, a throwing beforeAll): they have no failed test
    // to count, yet they are failures. Suites with failing tests are already counted by their tests.
    const failedSuites = results.numRuntimeErrorTestSuites;
    const record = {
      passed: results.numPassedTests,
      failed: results.numFailedTests,
      skipped: results.numPendingTests + results.numTodoTests,
      failedSuites,
      suites: results.numTotalTestSuites,
    };
    const name = `${path.basename(this.globalConfig.rootDir)}-${process.pid}-${Date.now()}.json`;
    fs.writeFileSync(path.join(dir, name), JSON.stringify(record));
  }
}

module.exports = CountReporter;
