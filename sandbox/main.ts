/**
 * `npm run sandbox` entry. Static imports are all loaded before the first line here runs, and the
 * sandbox (the fakes, the Slack SDKs) needs Node 22.12 or newer: on an older Node it would die deep
 * in undici with no hint. So check first, then load the sandbox itself.
 */
import { NODE_TOO_OLD_EXIT_CODE, nodeVersionProblem } from '../src/core/runtime/node-version.js';

const tooOld = nodeVersionProblem(process.versions.node);
if (tooOld !== undefined) {
  process.stderr.write(`sandbox: ${tooOld}\n`);
  process.exit(NODE_TOO_OLD_EXIT_CODE);
}
await import('./cli.js');
