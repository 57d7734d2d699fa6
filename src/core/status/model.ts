/**
 * `/auth0 status` and the App Home are assembled from sections that each part of the app
 * contributes (database, socket, later the poller, breakers, rotations). A section that throws or
 * hangs is reported as such instead of hiding the others.
 */
export type StatusLevel = 'ok' | 'warn' | 'error' | 'info';

export interface StatusItem {
  label: string;
  value: string;
  level: StatusLevel;
  /** A moment the value refers to (a next run): the chat shows it as a date in the reader's time zone. */
  at?: Date;
}

export interface StatusSection {
  title: string;
  items: StatusItem[];
}

export interface StatusProvider {
  readonly title: string;
  read(): StatusSection | Promise<StatusSection>;
}

export interface CollectStatusOptions {
  timeoutMs: number;
}

export const collectStatus = async (
  providers: readonly StatusProvider[],
  { timeoutMs }: CollectStatusOptions,
): Promise<StatusSection[]> =>
  Promise.all(
    providers.map(async (provider) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<StatusSection>((resolve) => {
        timer = setTimeout(() => {
          resolve(unavailable(provider.title, `no answer within ${timeoutMs} ms`));
        }, timeoutMs);
      });
      try {
        return await Promise.race([Promise.resolve().then(() => provider.read()), timeout]);
      } catch (err) {
        return unavailable(provider.title, err instanceof Error ? err.message : 'failed');
      } finally {
        clearTimeout(timer);
      }
    }),
  );

const unavailable = (title: string, why: string): StatusSection => ({
  title,
  items: [{ label: 'status', value: `unavailable: ${why}`, level: 'error' }],
});

/** "3d 4h", "2h 5m", "42s": compact enough for a phone. */
export const formatDuration = (ms: number): string => {
  const s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s % 60}s`;
  return `${s}s`;
};

/** `1 token`, `2 tokens`, `1 entry` / `3 entries` with `many` given: never `token(s)`. */
export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
