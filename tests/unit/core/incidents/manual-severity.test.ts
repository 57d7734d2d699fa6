import { describe, expect, it } from 'vitest';
import { severityAfterDetection } from '../../../../src/core/incidents/manual-severity.js';

describe('severityAfterDetection', () => {
  it('only raises a severity detection alone has set, never lowers it', () => {
    const incident = { severity: 'medium', severitySetBy: null, detectedSeverity: 'medium' } as const;
    expect(severityAfterDetection(incident, 'high')).toEqual({ severity: 'high', detectedSeverity: 'high' });
    expect(severityAfterDetection(incident, 'low')).toEqual({
      severity: 'medium',
      detectedSeverity: 'medium',
    });
  });

  it('keeps a severity a person lowered while detection repeats what it had already said', () => {
    const lowered = { severity: 'low', severitySetBy: 'U0OP', detectedSeverity: 'high' } as const;
    expect(severityAfterDetection(lowered, 'high')).toEqual({ severity: 'low', detectedSeverity: 'high' });
    expect(severityAfterDetection(lowered, 'medium')).toEqual({ severity: 'low', detectedSeverity: 'high' });
  });

  it('raises a severity a person set when detection sees worse than it ever had', () => {
    const lowered = { severity: 'info', severitySetBy: 'U0OP', detectedSeverity: 'medium' } as const;
    expect(severityAfterDetection(lowered, 'high')).toEqual({ severity: 'high', detectedSeverity: 'high' });
  });

  it('never lowers a severity a person raised, even when detection sees worse than before but still below it', () => {
    const raised = { severity: 'high', severitySetBy: 'U0OP', detectedSeverity: 'low' } as const;
    expect(severityAfterDetection(raised, 'medium')).toEqual({
      severity: 'high',
      detectedSeverity: 'medium',
    });
  });
});
