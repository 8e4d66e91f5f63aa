// Jest reporter: after a run, the slowest test files with their wall time (where `npm test`'s minutes go).
// FLOWDESK_TEST_TIMES=<file> also writes every file's time there as JSON.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

class SuiteTimesReporter {
  constructor(globalConfig, options = {}) {
    this.rootDir = globalConfig.rootDir;
    this.top = options.top ?? 10;
    this.times = [];
  }

  onTestResult(test, result) {
    const { start, end } = result.perfStats;
    this.times.push({
      file: path.relative(this.rootDir, result.testFilePath),
      seconds: Math.round((end - start) / 100) / 10,
      tests: result.numPassingTests + result.numFailingTests + result.numPendingTests,
      start,
    });
  }

  onRunComplete() {
    if (!this.times.length) return;
    const sorted = [...this.times].sort((a, b) => b.seconds - a.seconds);
    const total = sorted.reduce((sum, t) => sum + t.seconds, 0);
    const lines = sorted.slice(0, this.top).map((t) => `  ${t.seconds.toFixed(1).padStart(6)} s  ${t.file}`);
    process.stderr.write(
      `\nslowest test files (${sorted.length} files, ${total.toFixed(0)} s summed over workers):\n${lines.join('\n')}\n`,
    );
    if (process.env.FLOWDESK_TEST_TIMES)
      fs.writeFileSync(process.env.FLOWDESK_TEST_TIMES, `${JSON.stringify(sorted, null, 2)}\n`);
  }
}

module.exports = SuiteTimesReporter;
