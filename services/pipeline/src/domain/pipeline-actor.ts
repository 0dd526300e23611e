import type { Actor } from '@delivery/contracts';

/**
 * The pipeline acting on its own: who asks for a gate when no person or service caused the
 * decision (a gate or job outcome), and who moves a project when its blueprint becomes ready.
 */
export const PIPELINE_ACTOR: Actor = { kind: 'service', id: 'pipeline', name: 'pipeline' };
