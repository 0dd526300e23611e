export interface PoolMember {
  id: string;
  name: string;
}

/**
 * Who gets the next project: the least loaded member of the pool; among those equally least
 * loaded, the first one after the last pick in pool order (wrapping), so equals take turns.
 * `load` counts each member's current projects; a member it does not name has none.
 */
export function pickAssignee(
  pool: PoolMember[],
  load: Record<string, number>,
  lastPickedId: string | null,
): PoolMember | undefined {
  const loadOf = (member: PoolMember) => load[member.id] ?? 0;
  const least = Math.min(...pool.map(loadOf));
  const lastIndex = pool.findIndex((member) => member.id === lastPickedId);
  // Pool order starting right after the last pick; with no (known) last pick, the pool as it is.
  const turnOrder = [...pool.slice(lastIndex + 1), ...pool.slice(0, lastIndex + 1)];
  const picked = turnOrder.find((member) => loadOf(member) === least);
  return picked === undefined ? undefined : { id: picked.id, name: picked.name };
}
