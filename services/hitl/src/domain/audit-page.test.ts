import { auditPageStart } from './audit-page.js';

const records = [
  { id: 'd', at: '2026-12-04T00:00:00.000Z' },
  { id: 'c', at: '2026-12-03T00:00:00.000Z' },
  { id: 'b', at: '2026-12-02T00:00:00.000Z' },
  { id: 'a', at: '2026-12-01T00:00:00.000Z' },
];
const cursor = (id: string, at: string) => ({ id, createdAt: new Date(at) });

describe('where the next audit page starts', () => {
  it('at the newest without a cursor', () => {
    expect(auditPageStart(records, undefined)).toBe(0);
  });

  it('right after the cursor’s record', () => {
    expect(auditPageStart(records, cursor('c', '2026-12-03T00:00:00.000Z'))).toBe(2);
  });

  it('at the first older record when the cursor’s record was swept away, never back at the newest', () => {
    const withoutC = records.filter((record) => record.id !== 'c');
    expect(auditPageStart(withoutC, cursor('c', '2026-12-03T00:00:00.000Z'))).toBe(1);
    expect(withoutC[1]?.id).toBe('b');
  });

  it('past the end when everything older is gone too', () => {
    expect(auditPageStart(records.slice(0, 1), cursor('a', '2026-12-01T00:00:00.000Z'))).toBe(1);
  });
});
