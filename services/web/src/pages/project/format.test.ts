import { describe, expect, test } from 'vitest';
import { formatBytes, humanize, relativeTime, whoLabel } from './format';

describe('formatting', () => {
  test('sizes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(200 * 1024 * 1024)).toBe('200 MB');
    expect(formatBytes(-1)).toBe('–');
  });

  test('how far a moment is', () => {
    const now = Date.parse('2026-11-26T10:00:00Z');
    expect(relativeTime('2026-11-26T10:05:00Z', now)).toBe('in 5 min');
    expect(relativeTime('2026-11-26T07:00:00Z', now)).toBe('3 h ago');
    expect(relativeTime('2026-11-26T10:00:20Z', now)).toBe('in 20 s');
    expect(relativeTime('2026-11-29T10:00:00Z', now)).toBe('in 3 d');
  });

  test('codes for people', () => {
    expect(humanize('awaiting_approval')).toBe('awaiting approval');
    expect(humanize('NEEDS_HUMAN')).toBe('needs human');
    expect(whoLabel('delivery_manager')).toBe('the delivery manager');
    expect(whoLabel('qa_lead')).toBe('a QA lead');
    expect(whoLabel('security_lead')).toBe('security lead');
  });
});
