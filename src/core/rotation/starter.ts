import type { RotationStarter } from './ports.js';
import type { RotationService } from './ports.js';

/** The runbook step "rotate" (src/core/actions) over the rotation service. */
export const createRotationStarter = (service: RotationService): RotationStarter => ({
  async rotate(target, by, signal) {
    const result = await service.rotate(target, { trigger: 'step', by, ...(signal ? { signal } : {}) });
    return { ok: result.ok, summary: result.summary };
  },
});
