import type { Decision, DetectionSignal, Evidence } from './model.js';
import type { Severity } from '../incidents/model.js';

/** Evidence for a decision that is a fact rather than a count (a watcher or breaker event). */
const note = (at: string, summary: string): Evidence => ({
  window: { from: at, to: at, minutes: 0 },
  failures: 0,
  rate: 0,
  suspects: [],
  summary,
});

/** An `open` decision about a fact observed at `at`. */
export const open = (
  signal: DetectionSignal,
  scope: string,
  severity: Severity,
  title: string,
  at: string,
  summary: string,
): Decision => ({ kind: 'open', signal, scope, severity, title, evidence: note(at, summary) });

export const recover = (signal: DetectionSignal, scope: string, reason: string): Decision => ({
  kind: 'recover',
  signal,
  scope,
  reason,
});
