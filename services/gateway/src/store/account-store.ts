import { randomUUID } from 'node:crypto';
import { afterCursor, ConflictError, type CursorPosition } from '@delivery/service-kit';
import type { GatewayModels, UserDocument } from './models.js';

/** What the API shows of an account (never its hash or invitation digest). */
export interface Account {
  id: string;
  email: string;
  name: string;
  roles: string[];
  active: boolean;
  invited: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export const accountOf = (user: UserDocument): Account => ({
  id: user._id,
  email: user.email,
  name: user.name,
  roles: user.roles,
  active: user.active,
  invited: user.passwordHash === null,
  createdAt: user.createdAt,
  updatedAt: user.updatedAt,
});

const isDuplicateKey = (error: unknown) => (error as { code?: number }).code === 11000;

export interface NewAccount {
  email: string;
  name: string;
  roles: string[];
}

export class AccountStore {
  constructor(
    private readonly users: GatewayModels['users'],
    private readonly clock: () => Date = () => new Date(),
  ) {}

  find(id: string): Promise<UserDocument | null> {
    return this.users.findById(id).lean<UserDocument>();
  }

  findByEmail(email: string): Promise<UserDocument | null> {
    return this.users.findOne({ email: email.toLowerCase() }).lean<UserDocument>();
  }

  /**
   * The first start's admin, only while there is no account at all. Replicas starting together
   * race on the unique email: one creates it, the others find it. Returns whether this call did.
   */
  async createFirstAdmin(email: string, passwordHash: string): Promise<boolean> {
    if ((await this.users.estimatedDocumentCount()) > 0) return false;
    try {
      await this.insert(
        { email, name: 'Administrator', roles: ['admin'] },
        { passwordHash, invitation: null },
      );
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  /** An invited account: it signs in once its invitation is accepted with a password. */
  async invite(account: NewAccount, invitation: { digest: string; expiresAt: Date }): Promise<UserDocument> {
    try {
      return await this.insert(account, { passwordHash: null, invitation });
    } catch (error) {
      if (isDuplicateKey(error)) throw new ConflictError(`an account for ${account.email} exists already`);
      throw error;
    }
  }

  /** Sets the password of the account whose invitation this is, if it is still valid. */
  async acceptInvitation(digest: string, passwordHash: string): Promise<UserDocument | null> {
    const now = this.clock();
    return this.users
      .findOneAndUpdate(
        { 'invitation.digest': digest, 'invitation.expiresAt': { $gt: now }, active: true },
        { $set: { passwordHash, invitation: null, updatedAt: now } },
        { returnDocument: 'after' },
      )
      .lean<UserDocument>();
  }

  async update(
    id: string,
    change: Partial<Pick<UserDocument, 'name' | 'roles' | 'active' | 'passwordHash'>>,
  ): Promise<UserDocument | null> {
    return this.users
      .findOneAndUpdate(
        { _id: id },
        { $set: { ...change, updatedAt: this.clock() } },
        { returnDocument: 'after' },
      )
      .lean<UserDocument>();
  }

  async list(limit: number, after?: CursorPosition): Promise<UserDocument[]> {
    return this.users
      .find(after ? afterCursor(after) : {})
      .sort({ createdAt: -1, _id: -1 })
      .limit(limit)
      .lean<UserDocument[]>();
  }

  private async insert(
    account: NewAccount,
    secrets: Pick<UserDocument, 'passwordHash' | 'invitation'>,
  ): Promise<UserDocument> {
    const now = this.clock();
    const document: UserDocument = {
      _id: randomUUID(),
      email: account.email.toLowerCase(),
      name: account.name,
      roles: account.roles,
      active: true,
      createdAt: now,
      updatedAt: now,
      ...secrets,
    };
    await this.users.create(document);
    return document;
  }
}
