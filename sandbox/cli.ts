/**
 * `npm run sandbox [-- --scenario <name>] [-- --port <n>]`: the whole product offline. Prints one
 * line with the page's URL; Ctrl-C stops everything it started. Loaded by main.ts once the running
 * Node is known to be new enough.
 */
import { parseArgs } from 'node:util';
import { scenarioList, startSandbox, type Sandbox } from './sandbox.js';

const USAGE = `usage: npm run sandbox [-- [--port <n>] [--scenario <name>]... [--seed <n>]]

  --port <n>         port of the page (default 3980; any free port if that one is taken)
  --scenario <name>  run a scenario once the app is connected (repeatable), one of:
${scenarioList()
  .map((s) => `                       ${s.name.padEnd(22)} ${s.title}`)
  .join('\n')}
  --seed <n>         seed of the tenant's traffic, for a repeatable run`;

const fail = (message: string): never => {
  process.stderr.write(`sandbox: ${message}\n\n${USAGE}\n`);
  process.exit(64);
};

const parsed = (() => {
  try {
    return parseArgs({
      options: {
        port: { type: 'string' },
        scenario: { type: 'string', multiple: true },
        seed: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values;
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
})();

if (parsed.help === true) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

const integer = (flag: string, raw: string | undefined, max: number): number | undefined => {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > max) fail(`--${flag} must be a whole number 0–${max}`);
  return value;
};
const port = integer('port', parsed.port, 65_535) ?? 3980;
const seed = integer('seed', parsed.seed, 2 ** 32 - 1);
const known = new Set(scenarioList().map((s) => s.name));
for (const name of parsed.scenario ?? []) if (!known.has(name)) fail(`unknown scenario "${name}"`);

let sandbox: Sandbox | undefined;
let stopping = false;
const shutdown = async (code: number, appSignalled = false) => {
  if (stopping) process.exit(130);
  stopping = true;
  await sandbox?.stop({ appSignalled });
  process.exit(code);
};
// Ctrl-C in a terminal signals the whole process group, the app included.
process.on('SIGINT', () => void shutdown(0, true));
process.on('SIGTERM', () => void shutdown(0));

try {
  sandbox = await startSandbox({ port, ...(seed === undefined ? {} : { seed }) });
} catch (error) {
  process.stderr.write(
    `sandbox: could not start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
}
process.stdout.write(`auth0-oncall sandbox: open ${sandbox.url}  (Ctrl-C stops everything)\n`);

const { appLogPath } = sandbox;
void sandbox.appExited.then(({ code, signal }) => {
  if (stopping) return;
  process.stderr.write(
    `sandbox: the app stopped (exit ${String(code ?? signal)}); its log is ${appLogPath}\n`,
  );
  void shutdown(1);
});

for (const name of parsed.scenario ?? []) {
  try {
    process.stdout.write(`scenario ${name}: ${await sandbox.runScenario(name)}\n`);
  } catch (error) {
    process.stderr.write(
      `scenario ${name} failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
  }
}
