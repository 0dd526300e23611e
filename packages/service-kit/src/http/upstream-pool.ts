/**
 * Several base URLs of one service (`PIPELINE_URL=http://10.0.0.5:4004,http://10.0.0.6:4004`):
 * several API processes without a load balancer in front of them. Calls go round-robin; a URL
 * whose last attempt could not connect is passed over for `cooldownMs`, so a replica that died
 * costs one refused connection per cooldown instead of one per call. A URL cooling down is still
 * tried last: when every replica seems down, asking is better than failing without asking, and a
 * list of one URL behaves exactly as that one URL alone.
 *
 * No I/O here: the caller says what time it is and how each attempt ended.
 */
export interface UpstreamPool {
  readonly urls: readonly string[];
  /** The URLs to try for one call, in order: the next in turn first, those cooling down last. */
  order(now: number): string[];
  /** `url` could not be reached: pass it over until `now + cooldownMs`. */
  failed(url: string, now: number): void;
  /** `url` answered: it is in turn again at once. */
  answered(url: string): void;
}

export const DEFAULT_UPSTREAM_COOLDOWN_MS = 5_000;

export function upstreamPool(
  urls: readonly string[],
  { cooldownMs = DEFAULT_UPSTREAM_COOLDOWN_MS }: { cooldownMs?: number } = {},
): UpstreamPool {
  if (urls.length === 0) throw new Error('an upstream pool needs at least one URL');
  const coolingUntil = new Map<string, number>();
  let next = 0;
  return {
    urls,
    order(now) {
      const start = next;
      next = (next + 1) % urls.length;
      const inTurn = urls.map((_, index) => urls[(start + index) % urls.length] as string);
      const cooling = (url: string) => (coolingUntil.get(url) ?? 0) > now;
      // The one cooling down longest ago is most likely back: it goes first among them.
      const resting = inTurn
        .filter(cooling)
        .sort((a, b) => (coolingUntil.get(a) ?? 0) - (coolingUntil.get(b) ?? 0));
      return [...inTurn.filter((url) => !cooling(url)), ...resting];
    },
    failed(url, now) {
      coolingUntil.set(url, now + cooldownMs);
    },
    answered(url) {
      coolingUntil.delete(url);
    },
  };
}

/**
 * Error codes that mean the connection was never made, so the server got nothing: safe to send
 * again to another URL whatever the method (Node's net/dns codes and undici's connect timeout).
 */
const NOT_CONNECTED_CODES = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/**
 * Codes that mean the connection broke before an answer: the server may have received and even
 * acted on the request, so only an idempotent one may be sent again.
 */
const LOST_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

/** The codes an error carries: its own, its cause's (fetch wraps them), an aggregate's (happy eyeballs). */
function codesOf(error: unknown, depth = 0): string[] {
  if (!error || typeof error !== 'object' || depth > 3) return [];
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  return [
    ...(typeof code === 'string' ? [code] : []),
    ...codesOf(cause, depth + 1),
    ...(Array.isArray(errors) ? errors.flatMap((inner) => codesOf(inner, depth + 1)) : []),
  ];
}

/** The request never reached the server (no connection was made). */
export const neverConnected = (error: unknown): boolean =>
  codesOf(error).some((code) => NOT_CONNECTED_CODES.has(code));

/** The connection broke before an answer came (the server may have the request). */
export const lostBeforeAnswer = (error: unknown): boolean =>
  !neverConnected(error) && codesOf(error).some((code) => LOST_CODES.has(code));

/** Methods whose repetition changes nothing more than their first success did (RFC 9110 9.2.2). */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
export const isIdempotentMethod = (method: string): boolean => IDEMPOTENT.has(method.toUpperCase());

/**
 * Whether a failed attempt may be sent to the next URL: one that never connected always may; one
 * whose connection broke before the answer only when its method is idempotent. An answer, or a
 * timeout after sending, is never sent again here (for those the caller's own retry decides).
 */
export function mayTryNext(method: string, error: unknown): boolean {
  return neverConnected(error) || (lostBeforeAnswer(error) && isIdempotentMethod(method));
}

/**
 * Runs `attempt` against the pool's URLs in turn until one answers (resolves) or fails in a way
 * `mayTryNext` (or `retryable`, when given) does not allow to try again; the last failure is
 * thrown. A URL is cooled down when its failure says it could not be reached.
 */
export async function callInTurn<T>(
  pool: UpstreamPool,
  method: string,
  attempt: (baseUrl: string) => Promise<T>,
  {
    now = Date.now,
    retryable = (error: unknown) => mayTryNext(method, error),
    unreachable = (error: unknown) => neverConnected(error) || lostBeforeAnswer(error),
  }: {
    now?: () => number;
    retryable?: (error: unknown) => boolean;
    unreachable?: (error: unknown) => boolean;
  } = {},
): Promise<T> {
  let lastError: unknown;
  for (const url of pool.order(now())) {
    try {
      const answer = await attempt(url);
      pool.answered(url);
      return answer;
    } catch (error) {
      lastError = error;
      if (unreachable(error)) pool.failed(url, now());
      if (!retryable(error)) throw error;
    }
  }
  throw lastError;
}
