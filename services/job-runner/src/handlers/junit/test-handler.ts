import { HttpError } from '@delivery/service-kit';
import { type JobHandler, PermanentJobError } from '../handler.js';
import { isPermanentHttpStatus } from '../shared/fetch-owned.js';
import type { Fetcher } from '../shared/fetcher.js';
import { parseOrFail } from '../shared/parse-payload.js';
import { JUnitParseError, type JUnitReport, parseJUnit } from './junit-parse.js';
import { defectsOf, summarize } from './junit-summary.js';
import { type ReportRef, testPayloadSchema } from './test-payload.js';

export interface TestHandlerDeps {
  /** Reads reports within the egress policy and its body cap (EGRESS_MAX_BODY_BYTES). */
  fetcher: Fetcher;
}

async function loadReport(report: ReportRef, deps: TestHandlerDeps, signal: AbortSignal): Promise<string> {
  if ('xml' in report) return report.xml;
  try {
    return await deps.fetcher.text(report.url, signal);
  } catch (err) {
    if (err instanceof PermanentJobError) {
      throw new PermanentJobError(`cannot fetch test report ${report.name}: ${err.message}`, { cause: err });
    }
    if (err instanceof HttpError && isPermanentHttpStatus(err.status)) {
      throw new PermanentJobError(`cannot fetch test report ${report.name}: HTTP ${err.status}`, {
        cause: err,
      });
    }
    throw err;
  }
}

/**
 * `test`: ingests JUnit XML reports into a test-run summary and one defect per failed or errored
 * case. Failing tests are the normal output of this stage, not a failure of the job: it succeeds,
 * and `defect_validation` decides what the defects mean.
 */
export function createTestHandler(deps: TestHandlerDeps): JobHandler {
  return async ({ job, signal }) => {
    const payload = parseOrFail(testPayloadSchema, job.payload, 'test payload');
    const reports: JUnitReport[] = [];
    for (const report of payload.reports) {
      signal.throwIfAborted();
      const xml = await loadReport(report, deps, signal);
      try {
        reports.push(parseJUnit(xml));
      } catch (err) {
        if (err instanceof JUnitParseError) {
          throw new PermanentJobError(`test report ${report.name}: ${err.message}`, { cause: err });
        }
        throw err;
      }
    }
    return { outcome: 'success', result: { summary: summarize(reports), defects: defectsOf(reports) } };
  };
}
