/**
 * Where the next page of an audit trail (newest first) starts: after the cursor's record. The
 * retention sweep removes the oldest records, so the cursor's record may be gone by the time the
 * next page is asked for; the page then starts at the first record older than it, never back at
 * the newest (which would hand a client paging to the end the same records again, forever).
 */
export function auditPageStart(
  newestFirst: readonly { id: string; at: Date | string }[],
  cursor: { id: string; createdAt: Date } | undefined,
): number {
  if (!cursor) return 0;
  const at = newestFirst.findIndex((record) => record.id === cursor.id);
  if (at >= 0) return at + 1;
  const older = newestFirst.findIndex((record) => new Date(record.at).getTime() < cursor.createdAt.getTime());
  return older >= 0 ? older : newestFirst.length;
}
