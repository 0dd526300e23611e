import { digest, newSecret } from '../domain/secrets.js';
import type { GatewayModels, SessionDocument } from './models.js';

export interface SessionPolicy {
  ttlMinutes: number;
  idleMinutes: number;
}

/** Seen-at is written at most this often, so that requests do not each cost a write. */
const TOUCH_EVERY_MS = 60_000;

/**
 * Server-side sessions: the browser holds a random id (httpOnly cookie); the database holds its
 * digest, the CSRF token and the expiries. Signing out deletes the document, so the cookie is
 * worthless at once, on every replica.
 */
export class SessionStore {
  constructor(
    private readonly sessions: GatewayModels['sessions'],
    private readonly policy: SessionPolicy,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async open(userId: string): Promise<{ sessionId: string; session: SessionDocument }> {
    const now = this.clock();
    const sessionId = newSecret();
    const session: SessionDocument = {
      _id: digest(sessionId),
      userId,
      csrfToken: newSecret(),
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.policy.ttlMinutes * 60_000),
      lastSeenAt: now,
    };
    await this.sessions.create(session);
    return { sessionId, session };
  }

  /** The live session for a cookie's id, marked as seen; undefined when unknown, expired or idle. */
  async resume(sessionId: string): Promise<SessionDocument | undefined> {
    const now = this.clock();
    const session = await this.sessions.findById(digest(sessionId)).lean<SessionDocument>();
    if (!session) return undefined;
    const idleSince = now.getTime() - this.policy.idleMinutes * 60_000;
    if (session.expiresAt.getTime() <= now.getTime() || session.lastSeenAt.getTime() <= idleSince) {
      await this.sessions.deleteOne({ _id: session._id });
      return undefined;
    }
    if (now.getTime() - session.lastSeenAt.getTime() >= TOUCH_EVERY_MS) {
      await this.sessions.updateOne({ _id: session._id }, { $set: { lastSeenAt: now } });
    }
    return session;
  }

  async close(sessionId: string): Promise<SessionDocument | null> {
    return this.sessions.findOneAndDelete({ _id: digest(sessionId) }).lean<SessionDocument>();
  }

  /** Ends every session of an account (deactivated, password changed). */
  async closeAllOf(userId: string): Promise<number> {
    return (await this.sessions.deleteMany({ userId })).deletedCount;
  }
}
