// Jest test sequencer: the longest files first, so the workers finish together. Jest's own sequencer
// orders by the durations of the previous run in its cache; a clean clone (CI, a new checkout) has none,
// and jest then orders by file size, which put `workflow-durability` (a small file, the longest) last.
// Here a file without a cached duration takes the committed one of `test-times.json` (written by the
// suite-times reporter: `FLOWDESK_TEST_TIMES=libs/testing/setup/test-times.json npx jest`).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;

const root = path.resolve(__dirname, '../../..');

function committedTimes() {
  try {
    const rows = JSON.parse(fs.readFileSync(path.join(__dirname, 'test-times.json'), 'utf8'));
    return new Map(rows.map((row) => [path.join(root, row.file), row.seconds * 1000]));
  } catch {
    return new Map();
  }
}

class LongestFirstSequencer extends Sequencer {
  constructor(options) {
    super(options);
    this.committed = committedTimes();
  }

  time(test) {
    return super.time(test) ?? this.committed.get(test.path);
  }
}

module.exports = LongestFirstSequencer;
