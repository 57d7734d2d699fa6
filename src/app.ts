import type { App, AppOptions } from './wiring/wire-app.js';
import type { ShutdownPlan } from './wiring/lifecycle.js';
import { wireApp } from './wiring/wire-app.js';

export type { App, AppOptions } from './wiring/wire-app.js';

/**
 * The whole product from config (src/wiring/ builds and connects it), and the order in which it
 * starts and stops: shared by production (main.ts) and the in-process integration tests.
 */
export const buildApp = (options: AppOptions): App => {
  const w = wireApp(options);
  const { logger, config, stores, tasks } = w.platform;

  const shutdownPlan: ShutdownPlan = {
    stopIntake: [
      {
        name: 'mark-stopping',
        run: () => {
          w.lifecycle.stopping = true;
        },
      },
      { name: 'slack', run: () => w.slack.stop() },
      { name: 'scheduler', run: () => w.scheduler.stop() },
      { name: 'rotation-schedule', run: () => w.rotation.stop() },
      {
        name: 'storage-watch',
        run: () => {
          w.storage.stop();
        },
      },
      {
        name: 'home',
        run: () => {
          w.home.stop();
        },
      },
    ],
    // Clicks being handled, step runs, runbooks being written, async event listeners.
    drain: (ms) => tasks.drain(ms),
    release: [
      { name: 'http', run: () => w.http.close() },
      { name: 'metrics-http', run: () => w.statusHttp?.close() },
      {
        name: 'database',
        run: () => {
          stores.db.close();
        },
      },
    ],
  };

  let statusAddress: ReturnType<App['statusAddress']>;
  return {
    db: stores.db,
    slack: w.slack,
    http: w.http,
    statusAddress: () => statusAddress,
    scheduler: w.scheduler,
    watching: w.watching,
    incidents: {
      service: w.incidents.service,
      steps: w.steps.runner,
      evaluate: w.incidents.evaluation.evaluate,
    },
    metrics: w.platform.metrics,
    doctor: w.doctor,
    shutdownPlan,
    async start() {
      try {
        const address = await w.http.listen(config.http.port, config.http.host);
        logger.info({ event: 'http.listening', port: address.port, host: address.address }, 'HTTP listening');
        const metrics = config.http.metrics;
        if (w.statusHttp && metrics) {
          statusAddress = await w.statusHttp.listen(metrics.port, metrics.host);
          logger.info(
            { event: 'http.metrics_listening', port: statusAddress.port, host: statusAddress.address },
            '/healthz and /metrics listening apart from the receivers',
          );
        }
        // Unfinished rotations first (those still stuck are retried in the background), so that a
        // rotate step's recovery follows its rotation's recorded outcome instead of guessing.
        await w.resumeRotations();
        // Steps a crash left running are settled before new clicks can arrive at the scheduler.
        await w.steps.runner.recoverRunning();
        await w.adoptOwnCredential().catch((err: unknown) => {
          logger.warn(
            { event: 'rotation.own_credential_unavailable', err },
            'could not read the bot credential from Secrets Manager; using the configured one',
          );
        });
        // Intake opens only once what a crash left is settled: no click races its own recovery.
        await w.slack.start();
        // The Auth0 SDK is loaded after Slack connects, not before (docs/architecture.md).
        await w.watching.preloadSdk();
        await w.platform.workspace.load();
        w.scheduler.start();
        w.rotation.start();
        w.storage.start();
        // Findings go to the log; a broken setup must still start (the doctor says what it breaks).
        w.doctor.startupCheck();
        return address;
      } catch (err) {
        // Close what was opened before reporting, so a failed start leaves no lock or socket behind.
        await w.slack.stop();
        w.storage.stop();
        await w.scheduler.stop();
        await w.rotation.stop();
        await w.http.close();
        await w.statusHttp?.close();
        stores.db.close();
        throw err;
      }
    },
  };
};
