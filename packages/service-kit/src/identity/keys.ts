import { generateKeyPairSync } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  linkSync,
  mkdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { GATEWAY_ISSUER, SERVICE_AUDIENCES } from '@delivery/contracts';
import { IDENTITY_ALGORITHM, type Jwks, type PrivateJwk, privateJwkSchema, publicJwkOf } from './jwk.js';

/** Who holds a key: the gateway (user tokens) and every service (its own service tokens). */
export const IDENTITY_KEY_NAMES: readonly string[] = [...new Set([GATEWAY_ISSUER, ...SERVICE_AUDIENCES])];

export interface IdentityKeys {
  /** Each name's private key (kid = the name). */
  privateKeys: Record<string, PrivateJwk>;
  /** The public keys of them all: what every verifier trusts. */
  publicKeys: Jwks;
}

/** One name's private key; throws for a name the keys were not made for. */
export function privateKeyOf(keys: IdentityKeys, name: string): PrivateJwk {
  const key = keys.privateKeys[name];
  if (!key) throw new Error(`no identity key for "${name}"`);
  return key;
}

/** A fresh Ed25519 key pair per name, as JWKs whose kid is the name. */
export function generateIdentityKeys(names: readonly string[]): IdentityKeys {
  const privateKeys: Record<string, PrivateJwk> = {};
  for (const name of names) privateKeys[name] = generatePrivateJwk(name);
  return { privateKeys, publicKeys: jwksOf(Object.values(privateKeys)) };
}

function generatePrivateJwk(kid: string): PrivateJwk {
  const { privateKey } = generateKeyPairSync('ed25519');
  const jwk = privateKey.export({ format: 'jwk' });
  return privateJwkSchema.parse({ ...jwk, kid, alg: IDENTITY_ALGORITHM, use: 'sig' });
}

const jwksOf = (keys: PrivateJwk[]): Jwks => ({ keys: keys.map(publicJwkOf) });

export interface IdentityKeyFiles extends IdentityKeys {
  /** The JWKS of every name's public key (IDENTITY_PUBLIC_KEYS_FILE). */
  publicKeysFile: string;
  /** Where a name's private key is (its IDENTITY_SIGNING_KEY_FILE). */
  privateKeyFile(name: string): string;
}

export const PUBLIC_KEYS_FILE_NAME = 'public-keys.jwks.json';
export const privateKeyFileName = (name: string) => `${name}.private.jwk.json`;

/**
 * The keys under `dir`: each name's private key is created on first use (mode 0600) and reused
 * after, and the JWKS of all their public keys is (re)written beside them. Safe when two processes
 * do this at once (`npm start` and `npm run token`): a key file appears whole, and only once.
 */
export function ensureIdentityKeys(dir: string, names: readonly string[]): IdentityKeyFiles {
  // Left alone when they exist: a read-only mount of made keys (compose's `token`) works as well.
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
  const privateKeyFile = (name: string) => join(dir, privateKeyFileName(name));
  const privateKeys: Record<string, PrivateJwk> = {};
  for (const name of names) privateKeys[name] = readOrCreate(privateKeyFile(name), name);
  const publicKeys = jwksOf(Object.values(privateKeys));
  const publicKeysFile = join(dir, PUBLIC_KEYS_FILE_NAME);
  writeAtomically(publicKeysFile, `${JSON.stringify(publicKeys, null, 2)}\n`, 0o644);
  return { privateKeys, publicKeys, publicKeysFile, privateKeyFile };
}

function readOrCreate(file: string, name: string): PrivateJwk {
  if (existsSync(file)) return readPrivateKey(file, name);
  const staged = `${file}.${process.pid}.tmp`;
  writeFileSync(staged, `${JSON.stringify(generatePrivateJwk(name))}\n`, { mode: 0o600 });
  try {
    // A hard link fails if the file exists: whoever links first wins, the others read theirs.
    linkSync(staged, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(staged);
  }
  return readPrivateKey(file, name);
}

function readPrivateKey(file: string, name: string): PrivateJwk {
  const parsed = privateJwkSchema.safeParse(parseJson(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file} is not an Ed25519 private JWK; delete it to get a new key`);
  if (parsed.data.kid !== name)
    throw new Error(`${file} holds the key of "${parsed.data.kid}", not "${name}"`);
  return parsed.data;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Writes `text` to `file` whole (a reader never sees half of it), leaving an identical file alone. */
export function writeAtomically(file: string, text: string, mode: number): void {
  if (existsSync(file) && readFileSync(file, 'utf8') === text) return;
  const staged = `${file}.${process.pid}.tmp`;
  writeFileSync(staged, text, { mode });
  chmodSync(staged, mode);
  renameSync(staged, file);
}
