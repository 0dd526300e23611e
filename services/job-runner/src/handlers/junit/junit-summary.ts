import { createHash } from 'node:crypto';
import type { Defect } from '../defects/defect.js';
import type { JUnitReport } from './junit-parse.js';

export interface SuiteSummary {
  name: string;
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

export interface TestRunSummary {
  tests: number;
  passed: number;
  failures: number;
  errors: number;
  skipped: number;
  durationSeconds: number;
  suites: SuiteSummary[];
}

export const MAX_MESSAGE_CHARS = 1_000;
export const MAX_DETAILS_CHARS = 4_000;

/** Keeps job results small: a stack trace is useful for its first screens, not its hundredth. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… [${text.length - max} more characters]`;
}

/**
 * Stable across runs so the same broken test maps to the same defect. The separator keeps
 * ("a.b", "c") and ("a", "b.c") apart.
 */
export function defectFingerprint(suite: string, classname: string, testCase: string): string {
  return createHash('sha256').update([suite, classname, testCase].join('\u0000')).digest('hex');
}

export function summarize(reports: readonly JUnitReport[]): TestRunSummary {
  const summaries = reports
    .flatMap((r) => r.suites)
    .map((suite) => {
      const count = (outcome: string) => suite.cases.filter((c) => c.outcome === outcome).length;
      return {
        name: suite.name,
        tests: suite.cases.length,
        failures: count('failure'),
        errors: count('error'),
        skipped: count('skipped'),
      };
    });
  const total = (key: 'tests' | 'failures' | 'errors' | 'skipped') =>
    summaries.reduce((n, s) => n + s[key], 0);
  const seconds = reports.reduce((sum, r) => sum + r.timeSeconds, 0);
  return {
    tests: total('tests'),
    passed: total('tests') - total('failures') - total('errors') - total('skipped'),
    failures: total('failures'),
    errors: total('errors'),
    skipped: total('skipped'),
    durationSeconds: Math.round(seconds * 1000) / 1000,
    suites: summaries,
  };
}

/** One defect per failed or errored case. Deduplication is defect_validation's job, not this one's. */
export function defectsOf(reports: readonly JUnitReport[]): Defect[] {
  return reports
    .flatMap((report) => report.suites)
    .flatMap((suite) =>
      suite.cases.flatMap((c): Defect[] =>
        c.outcome === 'failure' || c.outcome === 'error'
          ? [
              {
                fingerprint: defectFingerprint(c.suite, c.classname, c.name),
                suite: c.suite,
                classname: c.classname,
                testCase: c.name,
                type: c.outcome,
                message: truncate(c.message ?? '', MAX_MESSAGE_CHARS),
                details: truncate(c.details ?? '', MAX_DETAILS_CHARS),
              },
            ]
          : [],
      ),
    );
}
