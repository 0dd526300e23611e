import { randomUUID } from 'node:crypto';
import {
  ignoreWrites,
  type OutboxEntry,
  type OutboxWritten,
  pushedOutboxEntries,
  WITHOUT_OUTBOX_FIELDS,
} from '@delivery/messaging';
import type { Model, QueryFilter, UpdateQuery } from 'mongoose';
import { claimableUntil, decideClaim } from './claim-decision.js';

/**
 * The fields of a document that is one item of a leased work queue. An item waits (`queued`),
 * due at a time, until a dispatch message sends a worker to claim it; the worker holds it
 * (`running`) under a lease it renews by heartbeat; `leaseToken`, new on every claim, fences
 * every later write of that worker: lose the lease, lose the write.
 */
export interface LeasedDocument {
  _id: string;
  status: string;
  correlationId: string;
  /** When a dispatch message for the current wait went out; the sweep re-sends stale ones. */
  dispatchedAt: Date | null;
  lockedBy: string | null;
  leaseToken: string | null;
  leaseExpiresAt: Date | null;
  startedAt: Date | null;
}

type FieldsOf<Doc, Value> = { [K in keyof Doc]: Doc[K] extends Value ? K : never }[keyof Doc] & string;

/** How one service's documents spell the queue's states and counters. */
export interface QueueShape<Doc extends LeasedDocument> {
  queued: Doc['status'];
  running: Doc['status'];
  /** The attempt counter, one up on every claim. */
  attempt: FieldsOf<Doc, number>;
  /** When a waiting item may be claimed. */
  due: FieldsOf<Doc, Date>;
  /**
   * Fields besides status, attempt, due and dispatch that tell one wait from the next (a run
   * deferred keeps its attempt but counts a deferral): a claim or hand-back decided on one wait
   * must not land on another.
   */
  sameWait?: readonly FieldsOf<Doc, unknown>[];
  /** The order the sweep dispatches due items in; the earliest due first unless said otherwise. */
  dispatchOrder?: Record<string, 1 | -1>;
}

/** What a worker holds: the item as claimed, and the token that fences its writes. */
export interface Lease<Doc> {
  item: Doc;
  leaseToken: string;
}

/** Names a held lease for a fenced write. */
export interface Fence {
  id: string;
  leaseToken: string;
}

/** `not-due`: queued but due later than this worker may claim; handed back to the sweep. */
export type ClaimAttempt<Doc> =
  | { status: 'claimed'; lease: Lease<Doc> }
  | { status: 'not-due'; dueInMs: number }
  | { status: 'skipped' };

/** What the service adds to the claim's write: its bookkeeping and the messages announcing it. */
export interface ClaimExtras {
  set?: Record<string, unknown>;
  push?: Record<string, unknown>;
  outbox?: OutboxEntry[];
}

export interface ClaimOptions<Doc> {
  leaseMs: number;
  /**
   * How far this worker's clock may run behind the one that set the item's due time: an item
   * due within this much of now counts as due.
   */
  skewAllowanceMs?: number;
  /** `attempt` is the attempt being started (the stored count plus one). */
  extras?: (item: Doc, attempt: number, now: Date) => ClaimExtras;
}

/** How the sweep ends an expired lease: the service's update, and what must still hold to write it. */
export interface Expiry<Doc> {
  update: UpdateQuery<Doc>;
  /** Conditions (on top of "still expired, same lease") the item must still meet, as read. */
  stillAsRead?: Record<string, unknown>;
}

export interface LeasedQueueOptions<Doc extends LeasedDocument> {
  model: Model<Doc>;
  shape: QueueShape<Doc>;
  clock?: () => Date;
  /** Reports what a write appended to an item's outbox, so it goes out at once. */
  written?: OutboxWritten;
}

/** The lease fields of an item no worker holds. */
export const LEASE_RELEASED = { lockedBy: null, leaseToken: null, leaseExpiresAt: null } as const;

/**
 * The `$set` of an item queued again: unleased, due `at`, dispatched at `dispatchedAt` (now, with
 * the dispatch message in the same write) or not yet (null: the sweep dispatches it when due).
 */
export function requeuedFields<Doc extends LeasedDocument>(
  shape: QueueShape<Doc>,
  at: Date,
  dispatchedAt: Date | null,
): Record<string, unknown> {
  return { ...LEASE_RELEASED, status: shape.queued, [shape.due]: at, dispatchedAt };
}

/**
 * The `$set` of an item its worker gives back unfinished (it is shutting down): queued again at
 * once and dispatched (the write must carry the dispatch message), the attempt not counted,
 * since the item did nothing wrong.
 */
export function givenBackFields<Doc extends LeasedDocument>(
  shape: QueueShape<Doc>,
  item: Doc,
  now: Date,
): Record<string, unknown> {
  return { ...requeuedFields(shape, now, now), [shape.attempt]: (item[shape.attempt] as number) - 1 };
}

/**
 * One leased work queue on one collection, the mechanics every such queue shares: claim with
 * a fencing token (one winner among racing workers), heartbeat, fenced writes, hand-back, and
 * the sweep that dispatches due items and recovers expired leases. What an outcome means (the
 * update a success or a failure writes, the messages it announces) is the service's, passed in.
 * Every write is conditional on what was read, so several workers and sweeps can run at once:
 * the losers' writes match nothing.
 */
export class LeasedQueue<Doc extends LeasedDocument> {
  private readonly model: Model<Doc>;
  private readonly shape: QueueShape<Doc>;
  private readonly clock: () => Date;
  private readonly written: OutboxWritten;

  constructor(options: LeasedQueueOptions<Doc>) {
    this.model = options.model;
    this.shape = options.shape;
    this.clock = options.clock ?? (() => new Date());
    this.written = options.written ?? ignoreWrites;
  }

  /**
   * One atomic conditional update: only a queued, due item at the attempt count read can be
   * claimed, so two workers racing for it cannot both win. A queued item not yet due by this
   * worker's clock (plus the skew allowance) is handed back to the sweep rather than dropped:
   * clearing its dispatch marker makes the sweep dispatch it again as soon as it is due.
   */
  async claim(id: string, workerId: string, options: ClaimOptions<Doc>): Promise<ClaimAttempt<Doc>> {
    const { attempt: attemptField, due } = this.shape;
    const skewAllowanceMs = options.skewAllowanceMs ?? 0;
    const now = this.clock();
    const current = await this.model.findById(id, WITHOUT_OUTBOX_FIELDS).lean<Doc>();
    const decision = decideClaim(
      current ? { queued: current.status === this.shape.queued, dueAt: current[due] as Date } : undefined,
      now,
      skewAllowanceMs,
    );
    if (!current || decision.kind === 'skip') return { status: 'skipped' };
    if (decision.kind === 'not-due') {
      await this.clearDispatch(current);
      return { status: 'not-due', dueInMs: decision.dueInMs };
    }
    const leaseToken = randomUUID();
    const attempt = (current[attemptField] as number) + 1;
    const extras = options.extras?.(current, attempt, now) ?? {};
    const outbox = extras.outbox ?? [];
    const push = { ...extras.push, ...(outbox.length > 0 ? { outbox: { $each: outbox } } : {}) };
    const claimed = await this.model
      .findOneAndUpdate(
        {
          ...this.sameWait(current),
          [due]: { $lte: claimableUntil(now, skewAllowanceMs) },
        } as QueryFilter<Doc>,
        {
          $set: {
            ...extras.set,
            status: this.shape.running,
            [attemptField]: attempt,
            lockedBy: workerId,
            leaseToken,
            leaseExpiresAt: new Date(now.getTime() + options.leaseMs),
            startedAt: current.startedAt ?? now,
            dispatchedAt: null,
          },
          ...(Object.keys(push).length > 0 ? { $push: push } : {}),
        } as UpdateQuery<Doc>,
        { returnDocument: 'after', projection: WITHOUT_OUTBOX_FIELDS },
      )
      .lean<Doc>();
    if (!claimed) return { status: 'skipped' };
    if (outbox.length > 0) this.written(id, outbox);
    return { status: 'claimed', lease: { item: claimed, leaseToken } };
  }

  /**
   * Gives a dispatch back to the sweep without acting on it (the worker is shutting down): the
   * sweep sends it again within a pass, to a worker that takes work. Failing the message instead
   * would spend the dispatch queue's few retries and, after a few stopping workers in a row,
   * dead-letter it.
   */
  async handBack(id: string): Promise<void> {
    const { attempt, due, sameWait = [] } = this.shape;
    const fields = Object.fromEntries(
      ['status', 'dispatchedAt', attempt, due, ...sameWait].map((f) => [f, 1]),
    );
    const current = await this.model.findById(id, fields).lean<Doc>();
    if (current?.status === this.shape.queued) await this.clearDispatch(current);
  }

  /**
   * Extends the lease if the worker still holds it. Answers undefined when it does not (taken
   * over, or ended by someone else), else the `report`ed fields (e.g. whether a cancel was asked
   * for), as they are now.
   */
  async heartbeat<K extends keyof Doc & string>(
    fence: Fence,
    leaseMs: number,
    report: readonly K[] = [],
  ): Promise<Pick<Doc, K> | undefined> {
    const now = this.clock();
    const held = await this.model
      .findOneAndUpdate(
        this.held(fence),
        { $set: { leaseExpiresAt: new Date(now.getTime() + leaseMs) } } as UpdateQuery<Doc>,
        { returnDocument: 'after', projection: Object.fromEntries(['_id', ...report].map((f) => [f, 1])) },
      )
      .lean<Pick<Doc, K>>();
    return held ?? undefined;
  }

  /**
   * Writes `update` only while the lease is still the worker's (and the item meets `also`): a
   * worker whose lease expired and whose item went to another cannot overwrite it. Answers
   * whether it was written.
   */
  async record(fence: Fence, update: UpdateQuery<Doc>, also: Record<string, unknown> = {}): Promise<boolean> {
    const result = await this.model.updateOne({ ...also, ...this.held(fence) } as QueryFilter<Doc>, update);
    if (result.matchedCount !== 1) return false;
    this.written(fence.id, pushedOutboxEntries(update));
    return true;
  }

  /**
   * A running item whose lease ran out `graceMs` ago by this clock lost its worker (killed, hung,
   * partitioned); `expire` says what becomes of it. The lease's end was set on the worker's
   * clock, so the grace is the clock-skew allowance: a sweep whose clock runs ahead does not
   * take work from a worker still within its lease. Answers the ids it ended.
   */
  async expireLeases(
    limit: number,
    graceMs: number,
    expire: (item: Doc, now: Date) => Expiry<Doc>,
  ): Promise<string[]> {
    const now = this.clock();
    const over = new Date(now.getTime() - graceMs);
    const expired = await this.model
      .find(
        { status: this.shape.running, leaseExpiresAt: { $lt: over } } as QueryFilter<Doc>,
        WITHOUT_OUTBOX_FIELDS,
      )
      .limit(limit)
      .lean<Doc[]>();
    const ended = await Promise.all(
      expired.map(async (item) => {
        const { update, stillAsRead = {} } = expire(item, now);
        // Still expired at the write, under the same lease: a heartbeat landing since the read
        // keeps the item its worker's.
        const result = await this.model.updateOne(
          {
            ...stillAsRead,
            _id: item._id,
            status: this.shape.running,
            leaseToken: item.leaseToken,
            leaseExpiresAt: { $lt: over },
          } as QueryFilter<Doc>,
          update,
        );
        if (result.modifiedCount !== 1) return undefined;
        this.written(item._id, pushedOutboxEntries(update));
        return item._id;
      }),
    );
    return ended.filter((id) => id !== undefined);
  }

  /**
   * Dispatches queued items that came due (scheduled, retries after backoff, handed back), and
   * again those whose dispatch went out `redispatchAfterMs` ago and were never claimed (the
   * message went missing). `dispatch` is the message, written in the same update. Answers the
   * ids it dispatched.
   */
  async dispatchDue(
    limit: number,
    redispatchAfterMs: number,
    dispatch: (item: Pick<Doc, '_id' | 'dispatchedAt' | 'correlationId'>, now: Date) => OutboxEntry,
  ): Promise<string[]> {
    const now = this.clock();
    const stale = new Date(now.getTime() - redispatchAfterMs);
    const due = await this.model
      .find(
        {
          status: this.shape.queued,
          [this.shape.due]: { $lte: now },
          $or: [{ dispatchedAt: null }, { dispatchedAt: { $lte: stale } }],
        } as QueryFilter<Doc>,
        { _id: 1, dispatchedAt: 1, correlationId: 1 },
      )
      .sort(this.shape.dispatchOrder ?? { [this.shape.due]: 1 })
      .limit(limit)
      .lean<Pick<Doc, '_id' | 'dispatchedAt' | 'correlationId'>[]>();
    const dispatched = await Promise.all(
      due.map(async (item) => {
        const entry = dispatch(item, now);
        const result = await this.model.updateOne(
          { _id: item._id, status: this.shape.queued, dispatchedAt: item.dispatchedAt } as QueryFilter<Doc>,
          { $set: { dispatchedAt: now }, $push: { outbox: entry } } as UpdateQuery<Doc>,
        );
        if (result.modifiedCount !== 1) return undefined;
        this.written(item._id, [entry]);
        return item._id;
      }),
    );
    return dispatched.filter((id) => id !== undefined);
  }

  /** Marks a queued item undispatched, unless it changed (or was dispatched again) since it was read. */
  private async clearDispatch(read: Doc): Promise<void> {
    await this.model.updateOne(
      {
        ...this.sameWait(read),
        [this.shape.due]: read[this.shape.due],
        dispatchedAt: read.dispatchedAt,
      } as QueryFilter<Doc>,
      { $set: { dispatchedAt: null } } as UpdateQuery<Doc>,
    );
  }

  /** The item as read, still in the same wait: queued, same attempt, same `sameWait` fields. */
  private sameWait(read: Doc): Record<string, unknown> {
    const fields = [this.shape.attempt, ...(this.shape.sameWait ?? [])];
    return {
      _id: read._id,
      status: this.shape.queued,
      ...Object.fromEntries(fields.map((field) => [field, read[field as keyof Doc]])),
    };
  }

  private held(fence: Fence): QueryFilter<Doc> {
    return { _id: fence.id, status: this.shape.running, leaseToken: fence.leaseToken } as QueryFilter<Doc>;
  }
}
