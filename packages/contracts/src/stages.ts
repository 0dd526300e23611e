import { z } from 'zod';
import { STAGES } from './stage-list.js';

export { hasAutomatedWork, STAGE_JOB_KINDS, STAGES, type Stage } from './stage-list.js';

export const stageSchema = z.enum(STAGES);
