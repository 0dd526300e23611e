import { UnprocessableError } from '@delivery/service-kit';
import { jobKinds } from '../handlers/job-kinds.js';
import { checkEnqueue, redactedPayload, resumedPayload } from './kind-rules.js';

const issuesOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof UnprocessableError)
      return (error.details?.issues as { path: string }[] | undefined)?.map((i) => i.path);
    throw error;
  }
  throw new Error('expected an UnprocessableError');
};

const defect = (fingerprint: string) => ({ fingerprint, suite: 'S', testCase: fingerprint, type: 'failure' });

describe('kind rules', () => {
  it('enqueue refuses unknown kinds, inherited names included, and payloads the kind cannot run', () => {
    expect(() => checkEnqueue(jobKinds, 'constructor', {})).toThrow('unknown job kind "constructor"');
    expect(issuesOf(() => checkEnqueue(jobKinds, 'test', {}))).toEqual(['payload.reports']);
    expect(issuesOf(() => checkEnqueue(jobKinds, 'http', { url: 'ftp://x', headers: { a: 1 } }))).toEqual([
      'payload.url',
      'payload.headers.a',
    ]);
    expect(() =>
      checkEnqueue(jobKinds, 'test', { reports: [{ name: 'r', xml: '<testsuite/>' }] }),
    ).not.toThrow();
  });

  it('resume accepts only what the kind declares, naming each refused path', () => {
    const http = { url: 'https://executor.example/run', headers: { authorization: 'Bearer t' } };
    expect(
      issuesOf(() => resumedPayload(jobKinds, 'http', http, { url: 'https://evil.example', headers: {} })),
    ).toEqual(['input.url', 'input.headers']);
    expect(resumedPayload(jobKinds, 'http', http, {})).toBe(http);
    const defects = { defects: [defect('a'), defect('b')] };
    expect(
      issuesOf(() =>
        resumedPayload(jobKinds, 'defect_validation', defects, { decisions: { a: 'maybe' }, x: 1 }),
      ),
    ).toEqual(['input.decisions.a', 'input.x']);
    expect(
      issuesOf(() =>
        resumedPayload(jobKinds, 'defect_validation', defects, { decisions: { zz: 'confirmed' } }),
      ),
    ).toEqual(['payload.decisions.zz']);
  });

  it('decisions add up over resumes; a later one on the same fingerprint wins', () => {
    const first = resumedPayload(
      jobKinds,
      'defect_validation',
      { defects: [defect('a'), defect('b')] },
      {
        decisions: { a: 'rejected' },
      },
    );
    const second = resumedPayload(jobKinds, 'defect_validation', first, { decisions: { b: 'confirmed' } });
    expect(second.decisions).toEqual({ a: 'rejected', b: 'confirmed' });
    const changed = resumedPayload(jobKinds, 'defect_validation', second, { decisions: { a: 'confirmed' } });
    expect(changed.decisions).toEqual({ a: 'confirmed', b: 'confirmed' });
  });

  it('reads show every http header as "***", and credential-named keys of any kind', () => {
    expect(
      redactedPayload(jobKinds, 'http', {
        url: 'https://e.example',
        headers: { 'X-Api-Key': 'k' },
        body: { note: 'n' },
      }),
    ).toEqual({ url: 'https://e.example', headers: { 'X-Api-Key': '***' }, body: { note: 'n' } });
    expect(redactedPayload(jobKinds, 'retired-kind', { password: 'p' })).toEqual({ password: '***' });
  });
});
