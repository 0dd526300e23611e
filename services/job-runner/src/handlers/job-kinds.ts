import type { JobKind } from '@delivery/contracts';
import { buildPayloadSchema } from './build/build-payload.js';
import { defectValidationPayloadSchema, defectValidationResume } from './defects/defect-payload.js';
import { httpPayloadSchema } from './executor/http-payload.js';
import type { JobKindSpec } from './handler.js';
import { testPayloadSchema } from './junit/test-payload.js';
import { noopPayload } from './noop-handler.js';

/**
 * The declarations of every registered kind, free of handler code so the API process can load
 * them: enqueue validates payloads with them, resume accepts only their resume input, reads
 * redact their secrets.
 */
export const jobKinds: Readonly<Record<JobKind, JobKindSpec>> = {
  build: { payload: buildPayloadSchema },
  test: { payload: testPayloadSchema },
  defect_validation: { payload: defectValidationPayloadSchema, resume: defectValidationResume },
  // Every header: executors authenticate with bearer tokens, API keys or signatures under any name.
  http: { payload: httpPayloadSchema, secrets: ['headers.*'] },
  noop: { payload: noopPayload },
};
