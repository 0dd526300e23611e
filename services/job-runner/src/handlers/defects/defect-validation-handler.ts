import type { JobHandler } from '../handler.js';
import { parseOrFail } from '../shared/parse-payload.js';
import { applyDecisions, dedupeDefects } from './dedupe.js';
import { defectValidationPayloadSchema } from './defect-payload.js';

/**
 * `defect_validation`: dedupes the defects `test` opened and waits (NEEDS_HUMAN) until a person
 * has confirmed or rejected each one. Resuming with `decisions` re-runs it; it succeeds once
 * nothing is left unconfirmed.
 */
export function createDefectValidationHandler(): JobHandler {
  return async ({ job }) => {
    const payload = parseOrFail(defectValidationPayloadSchema, job.payload, 'defect_validation payload');
    const defects = applyDecisions(dedupeDefects(payload.defects), payload.decisions);
    const unconfirmed = defects.filter((d) => d.status === 'unconfirmed').length;
    const result = {
      defects,
      unconfirmed,
      confirmed: defects.filter((d) => d.status === 'confirmed').length,
      rejected: defects.filter((d) => d.status === 'rejected').length,
    };
    if (unconfirmed === 0) return { outcome: 'success', result };
    const noun = defects.length === 1 ? 'defect awaits' : 'defects await';
    return {
      outcome: 'needs_human',
      reason: `${unconfirmed} of ${defects.length} ${noun} confirmation`,
      result,
    };
  };
}
