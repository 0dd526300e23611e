import type { Defect } from './defect.js';

export type Decision = 'confirmed' | 'rejected';
export type DefectStatus = 'unconfirmed' | Decision;

export interface DefectGroup {
  /** The first occurrence; its fingerprint names the group. */
  defect: Defect;
  /** Every fingerprint merged into the group, the representative's first. */
  fingerprints: string[];
  occurrences: number;
}

export interface ValidatedDefect extends Defect {
  fingerprints: string[];
  occurrences: number;
  status: DefectStatus;
}

/**
 * The part of a message that identifies a bug rather than one run of it: without UUIDs, hex ids
 * (object hashes, addresses), numbers (counts, ports, timings) and whitespace, so "expected 3
 * but was 4 (Order@1f2e3d)" and "expected 5 but was 7 (Order@9a8b7c)" are the same defect.
 * Hex ids go before numbers, or "1f2e3d" would leave "fed" behind.
 */
export function normalizeMessage(message: string): string {
  return message
    .toLowerCase()
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '')
    .replace(/0x[0-9a-f]+/g, '')
    .replace(/\b(?=[0-9a-f]*\d)[0-9a-f]{6,}\b/g, '')
    .replace(/\d+/g, '')
    .replace(/\s+/g, '');
}

const similarityKey = (d: Defect): string =>
  [d.suite, d.testCase, normalizeMessage(d.message)].join('\u0000');

/**
 * Merges defects that share a fingerprint or a suite + test case + normalized message. Either
 * link is enough, and links chain (A~B by fingerprint, B~C by message puts A, B, C together),
 * hence union-find. Groups keep the order of their first occurrence.
 */
export function dedupeDefects(defects: readonly Defect[]): DefectGroup[] {
  const parent = defects.map((_, i) => i);
  const find = (i: number): number => {
    let root = i;
    while (parent[root] !== root) root = parent[root] as number;
    while (parent[i] !== root) [i, parent[i]] = [parent[i] as number, root];
    return root;
  };
  // Union towards the smaller index, so each root is its group's first occurrence.
  const union = (a: number, b: number) => {
    const [ra, rb] = [find(a), find(b)];
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  const firstSeen = new Map<string, number>();
  defects.forEach((d, i) => {
    for (const key of [`fp:${d.fingerprint}`, `msg:${similarityKey(d)}`]) {
      const seen = firstSeen.get(key);
      if (seen === undefined) firstSeen.set(key, i);
      else union(seen, i);
    }
  });

  const groups = new Map<number, DefectGroup>();
  defects.forEach((d, i) => {
    const root = find(i);
    const group = groups.get(root);
    if (!group) {
      groups.set(root, { defect: d, fingerprints: [d.fingerprint], occurrences: 1 });
      return;
    }
    group.occurrences += 1;
    if (!group.fingerprints.includes(d.fingerprint)) group.fingerprints.push(d.fingerprint);
  });
  return [...groups.values()];
}

/**
 * A decision may name any fingerprint of a group (a person may have seen another occurrence);
 * the representative's own decision wins, then the first member's that has one.
 */
export function applyDecisions(
  groups: readonly DefectGroup[],
  decisions: Readonly<Record<string, Decision>>,
): ValidatedDefect[] {
  return groups.map((g) => {
    const decided = g.fingerprints.map((fp) => decisions[fp]).find((d) => d !== undefined);
    return {
      ...g.defect,
      fingerprints: g.fingerprints,
      occurrences: g.occurrences,
      status: decided ?? 'unconfirmed',
    };
  });
}
