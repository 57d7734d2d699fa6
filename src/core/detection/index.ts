export { createDetector } from './detector.js';
export type { Detector } from './detector.js';
export { DEFAULT_THRESHOLDS, detectionThresholdsSchema, resolveThresholds } from './thresholds.js';
export type { DetectionThresholds } from './thresholds.js';
