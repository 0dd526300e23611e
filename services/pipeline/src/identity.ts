import type { Actor, Identity } from '@delivery/contracts';

/** The actor a verified caller stands for in timelines, events and approvals. */
export const actorOf = ({ kind, id, name }: Identity): Actor => ({ kind, id, name });
