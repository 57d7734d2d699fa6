export { createDetector } from './detector.js';
export type { Detector, DetectorDeps, OpenIncidentRef } from './detector.js';
export { DEFAULT_THRESHOLDS, detectionThresholdsSchema, resolveThresholds } from './thresholds.js';
export type { DetectionThresholdOverrides, DetectionThresholds } from './thresholds.js';
export { SIGNAL_GROUPS } from './rules.js';
export type { LogDetectionSignal, SignalGroup } from './rules.js';
