// Prints per-project counts from vitest JSON reports and one closing line "N passed, N failed".
// Exits non-zero when a report is missing, a test failed, or no test ran at all.
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';

let passed = 0;
let failed = 0;
let skipped = 0;
let missing = false;
for (const file of process.argv.slice(2)) {
  const project = basename(file, '.json');
  if (!existsSync(file)) {
    console.log(`${project}: no report (the run crashed before writing one)`);
    missing = true;
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const projectSkipped = report.numPendingTests + report.numTodoTests;
  console.log(`${project}: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${projectSkipped} skipped (${report.numTotalTestSuites} files)`);
  passed += report.numPassedTests;
  // A file that fails to load has no failed tests but is a failure all the same.
  failed += report.numFailedTests > 0 ? report.numFailedTests : (report.numFailedTestSuites ?? 0);
  skipped += projectSkipped;
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(missing || failed > 0 || passed === 0 ? 1 : 0);
