/**
 * Runs every benchmark in its own process (so each reports its own peak RSS) and prints their
 * figures. `npm run bench`; a single one: `npx tsx bench/<name>.ts [size]`.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const benches: Array<[file: string, args: string[]]> = [
  ['startup.ts', ['10']],
  ['ingest-throughput.ts', ['1000000']],
  ['backlog-drain.ts', ['20000']],
  ['detection-latency.ts', ['20']],
  ['ack-latency.ts', ['500', '50']],
  ['log-stream-stall.ts', []],
  ['db-size.ts', ['1000000']],
];

let failed = 0;
for (const [file, args] of benches) {
  const path = fileURLToPath(new URL(file, import.meta.url));
  const run = spawnSync(process.execPath, ['--import', 'tsx', path, ...args], { stdio: 'inherit' });
  if (run.status !== 0) failed += 1;
}
process.exit(failed === 0 ? 0 : 1);
