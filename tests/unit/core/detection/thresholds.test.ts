import { describe, expect, it } from 'vitest';
import {
  DEFAULT_THRESHOLDS,
  detectionThresholdsSchema,
  resolveThresholds,
} from '../../../../src/core/detection/index.js';
import { AppError } from '../../../../src/errors.js';
import { createWorld } from './world.js';

describe('detection thresholds', () => {
  it('defaults to the documented thresholds', () => {
    expect(DEFAULT_THRESHOLDS).toMatchObject({
      windowMinutes: 5,
      ratioMedium: 0.25,
      ratioHigh: 0.5,
      recoveryRatio: 0.2,
      baselineMultiple: 5,
      minVolume: 20,
      m2mMinFailures: 5,
      quietMinutes: 15,
      correlationMinutes: 30,
      suspectLookbackMinutes: 30,
      singleSourceShare: 0.8,
    });
    expect(resolveThresholds()).toEqual(DEFAULT_THRESHOLDS);
  });

  it('applies overrides and keeps the default where an override is undefined', () => {
    expect(resolveThresholds({ quietMinutes: 30, windowMinutes: undefined })).toEqual({
      ...DEFAULT_THRESHOLDS,
      quietMinutes: 30,
    });
  });

  it.each([
    { overrides: { windowMinutes: 0 }, problem: 'windowMinutes' },
    { overrides: { ratioHigh: 1.5 }, problem: 'ratioHigh' },
    { overrides: { ratioHigh: 0.2 }, problem: 'ratioMedium (0.25) must be below ratioHigh (0.2)' },
    { overrides: { recoveryRatio: 0.3 }, problem: 'recoveryRatio (0.3) must be at most ratioMedium (0.25)' },
    {
      overrides: { attackProtectionHigh: 5 },
      problem: 'attackProtectionFloor (10) must be at most attackProtectionHigh (5)',
    },
  ])('refuses $overrides, naming the problem', ({ overrides, problem }) => {
    expect(() => resolveThresholds(overrides)).toThrow(AppError);
    expect(() => resolveThresholds(overrides)).toThrow(problem);
    expect(() => createWorld().detector({ thresholds: overrides })).toThrow(problem);
  });

  it('parses overrides from configuration with the schema', () => {
    expect(detectionThresholdsSchema.safeParse({ minVolume: 50 }).success).toBe(true);
    expect(detectionThresholdsSchema.safeParse({ minVolume: '50' }).success).toBe(false);
  });
});
