import { randomBytes } from 'node:crypto';

/**
 * Where an event stands in one replica's stream: `<epoch>-<seq>`. The epoch is drawn when the
 * stream (re)starts, so an id from before a restart, from another replica, or from before a gap
 * in what the replica received can never be mistaken for a position in the current stream.
 */
export interface EventPosition {
  epoch: string;
  seq: number;
}

const EVENT_ID = /^([0-9a-f]{12})-(0|[1-9][0-9]{0,14})$/;

export const newEpoch = (): string => randomBytes(6).toString('hex');

export const formatEventId = ({ epoch, seq }: EventPosition): string => `${epoch}-${seq}`;

/** Undefined for anything this gateway did not hand out (another version's ids included). */
export function parseEventId(text: string): EventPosition | undefined {
  const match = EVENT_ID.exec(text);
  if (!match) return undefined;
  return { epoch: match[1] as string, seq: Number(match[2]) };
}
