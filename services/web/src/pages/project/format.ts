/** How the page writes sizes, times and codes for people. */

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '–';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '–';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

/** "in 5 min", "3 h ago": how far a moment is from now, coarse on purpose. */
export function relativeTime(iso: string, now: number): string {
  const at = new Date(iso).getTime();
  if (Number.isNaN(at)) return iso;
  const seconds = Math.round((at - now) / 1000);
  const size = Math.abs(seconds);
  const amount =
    size < 60
      ? `${size} s`
      : size < 3600
        ? `${Math.round(size / 60)} min`
        : size < 86_400
          ? `${Math.round(size / 3600)} h`
          : `${Math.round(size / 86_400)} d`;
  return seconds >= 0 ? `in ${amount}` : `${amount} ago`;
}

/** `awaiting_approval` → `awaiting approval`, `NEEDS_HUMAN` → `needs human`. */
export const humanize = (code: string): string => code.replaceAll('_', ' ').toLowerCase();

const WHO: Record<string, string> = {
  delivery_manager: 'the delivery manager',
  sales: 'sales',
  assignee: 'an assignee',
  uploader: 'who uploaded the file',
  qa_lead: 'a QA lead',
  approver: 'an approver',
  operator: 'an operator',
  admin: 'an admin',
  system: 'the system (nobody needs to act)',
};

export const whoLabel = (who: string): string => WHO[who] ?? humanize(who);
