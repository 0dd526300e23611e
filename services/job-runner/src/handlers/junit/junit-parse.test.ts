import { readFileSync } from 'node:fs';
import { JUnitParseError, parseJUnit } from './junit-parse.js';
import { defectFingerprint, defectsOf, MAX_DETAILS_CHARS, summarize } from './junit-summary.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');

describe('parseJUnit on a maven surefire report (single <testsuite> root)', () => {
  const report = parseJUnit(fixture('TEST-com.acme.orders.OrderServiceTest.xml'));

  it('counts cases by outcome, from the cases themselves', () => {
    expect(summarize([report])).toEqual({
      tests: 6,
      passed: 2,
      failures: 2,
      errors: 1,
      skipped: 1,
      durationSeconds: 2.417,
      suites: [{ name: 'com.acme.orders.OrderServiceTest', tests: 6, failures: 2, errors: 1, skipped: 1 }],
    });
  });

  it('opens one defect per failed or errored case, with CDATA details and decoded messages', () => {
    const defects = defectsOf([report]);
    expect(defects.map((d) => [d.testCase, d.type])).toEqual([
      ['appliesVolumeDiscount', 'failure'],
      ['reservesStock', 'error'],
      ['sendsConfirmationMail', 'failure'],
    ]);
    const [discount, stock, mail] = defects;
    expect(discount?.message).toBe('expected: <90.00> but was: <100.00>');
    expect(discount?.details).toContain('at com.acme.orders.OrderServiceTest.appliesVolumeDiscount');
    expect(discount?.fingerprint).toBe(
      defectFingerprint(
        'com.acme.orders.OrderServiceTest',
        'com.acme.orders.OrderServiceTest',
        'appliesVolumeDiscount',
      ),
    );
    expect(stock?.details).toContain('PGStream.<init>');
    // No message attribute: the first line of the body stands in.
    expect(mail?.message).toBe(
      'org.opentest4j.AssertionFailedError: mail for order 4711 not sent within 300 ms',
    );
  });
});

describe('parseJUnit on a <testsuites> root with nested suites', () => {
  const report = parseJUnit(fixture('junit-nested-testsuites.xml'));

  it('flattens to the suites that hold cases and sums their times', () => {
    expect(summarize([report])).toEqual({
      tests: 5,
      passed: 3,
      failures: 1,
      errors: 0,
      skipped: 1,
      durationSeconds: 12.5,
      suites: [
        { name: 'checkout', tests: 1, failures: 0, errors: 0, skipped: 0 },
        { name: 'checkout.payment', tests: 2, failures: 1, errors: 0, skipped: 0 },
        { name: 'search', tests: 2, failures: 0, errors: 0, skipped: 1 },
      ],
    });
  });

  it('decodes entities in plain-text failure bodies', () => {
    const [defect] = defectsOf([report]);
    expect(defect).toMatchObject({
      suite: 'checkout.payment',
      testCase: 'declines expired card',
      type: 'failure',
    });
    expect(defect?.details).toContain('Context.<anonymous>');
  });
});

describe('parseJUnit edge cases', () => {
  it('handles a single case, an empty <testsuites>, and a suite without time', () => {
    const one = parseJUnit('<testsuite name="s"><testcase name="only" time="0.5"/></testsuite>');
    expect(summarize([one])).toMatchObject({ tests: 1, passed: 1, durationSeconds: 0.5 });
    expect(summarize([parseJUnit('<testsuites/>')])).toMatchObject({ tests: 0, suites: [] });
  });

  it('treats an <error> with no body or message sensibly and truncates huge details', () => {
    const big = 'x'.repeat(MAX_DETAILS_CHARS + 500);
    const report = parseJUnit(
      `<testsuite name="s"><testcase name="a" classname="C"><error type="Boom"/></testcase>` +
        `<testcase name="b" classname="C"><failure message="m">${big}</failure></testcase></testsuite>`,
    );
    const [a, b] = defectsOf([report]);
    expect(a).toMatchObject({ type: 'error', message: 'Boom', details: 'Boom' });
    expect(b?.details.length).toBeLessThan(MAX_DETAILS_CHARS + 50);
    expect(b?.details).toMatch(/\[500 more characters\]$/);
  });

  it('rejects malformed XML with its position', () => {
    expect(() => parseJUnit('<testsuite name="s"><testcase name="a"></testsuite>')).toThrow(JUnitParseError);
    expect(() => parseJUnit('<testsuite name="s"><testcase name="a"></testsuite>')).toThrow(/line 1/);
  });

  it('rejects XML that is not a JUnit report', () => {
    expect(() => parseJUnit('<coverage line-rate="0.9"/>')).toThrow(/neither <testsuites> nor <testsuite>/);
  });
});
