/**
 * Reading what stage jobs produce (job results and the project's `outputs`), defensively: a result
 * is whatever its handler stored, so each reader checks the shape before the page trusts it.
 */

export interface ManifestEntry {
  name: string;
  status: 'ok' | 'missing' | 'wrong_type' | 'too_large' | 'sha256_mismatch' | 'size_mismatch';
  required: boolean;
  expected: { contentType: string[]; maxSizeBytes: number; size?: number; sha256?: string };
  actual: { contentType?: string; size?: number; sha256?: string; downloaded: boolean } | null;
  detail?: string;
}

export interface BuildManifest {
  ok: boolean;
  checkedAt: string;
  artifacts: ManifestEntry[];
}

export interface TestSummary {
  tests: number;
  passed: number;
  failures: number;
  errors: number;
  skipped: number;
  durationSeconds: number;
  suites: { name: string; tests: number; failures: number; errors: number; skipped: number }[];
}

export type Decision = 'confirmed' | 'rejected';

export interface Defect {
  fingerprint: string;
  suite: string;
  classname: string;
  testCase: string;
  type: 'failure' | 'error';
  message: string;
  details: string;
  /** How many reported failures were merged into this one (defect validation dedupes). */
  occurrences: number;
  status: 'unconfirmed' | Decision;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function buildManifestOf(result: unknown): BuildManifest | undefined {
  if (!isObject(result) || typeof result.ok !== 'boolean' || !Array.isArray(result.artifacts))
    return undefined;
  return result as unknown as BuildManifest;
}

export function testSummaryOf(result: unknown): TestSummary | undefined {
  const summary = isObject(result) ? result.summary : undefined;
  if (!isObject(summary) || typeof summary.tests !== 'number') return undefined;
  return { ...summary, suites: Array.isArray(summary.suites) ? summary.suites : [] } as TestSummary;
}

/** The defects in a test result or a defect validation result; unknown entries are skipped. */
export function defectsOf(result: unknown): Defect[] | undefined {
  const list = isObject(result) ? result.defects : undefined;
  if (!Array.isArray(list)) return undefined;
  return list.filter(isObject).flatMap((item): Defect[] => {
    if (typeof item.fingerprint !== 'string' || item.fingerprint === '') return [];
    const text = (key: string) => (typeof item[key] === 'string' ? (item[key] as string) : '');
    const status = item.status === 'confirmed' || item.status === 'rejected' ? item.status : 'unconfirmed';
    return [
      {
        fingerprint: item.fingerprint,
        suite: text('suite'),
        classname: text('classname'),
        testCase: text('testCase'),
        type: item.type === 'error' ? 'error' : 'failure',
        message: text('message'),
        details: text('details'),
        occurrences: typeof item.occurrences === 'number' ? item.occurrences : 1,
        status,
      },
    ];
  });
}

/**
 * The defects a person decides on: the defect validation job's own (deduplicated, with the
 * decisions so far) once it has run, else the test stage's as they were reported.
 */
export function defectsToDecide(validationResult: unknown, testOutput: unknown): Defect[] {
  return defectsOf(validationResult) ?? defectsOf(testOutput) ?? [];
}

/** Choices start from the decisions already recorded; a person's change replaces one. */
export function initialChoices(defects: Defect[]): Record<string, Decision> {
  const choices: Record<string, Decision> = {};
  for (const defect of defects)
    if (defect.status !== 'unconfirmed') choices[defect.fingerprint] = defect.status;
  return choices;
}

/** The resume body that carries the decisions: only defects shown, only those decided. */
export function decisionsInput(
  defects: Defect[],
  choices: Record<string, Decision>,
): { decisions: Record<string, Decision> } {
  const decisions: Record<string, Decision> = {};
  for (const defect of defects) {
    const choice = choices[defect.fingerprint];
    if (choice) decisions[defect.fingerprint] = choice;
  }
  return { decisions };
}

export const undecided = (defects: Defect[], choices: Record<string, Decision>): number =>
  defects.filter((defect) => choices[defect.fingerprint] === undefined).length;
