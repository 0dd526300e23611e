import { callInTurn, lostBeforeAnswer, mayTryNext, neverConnected, upstreamPool } from './upstream-pool.js';

const A = 'http://a:4004';
const B = 'http://b:4004';
const C = 'http://c:4004';

/** An error as Node's net (code on the error) or fetch (code on its cause) reports it. */
const refused = () => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
const fetchFailed = (code: string) =>
  new TypeError('fetch failed', { cause: Object.assign(new Error(code), { code }) });

describe('upstream pool', () => {
  it('takes the URLs in turn', () => {
    const pool = upstreamPool([A, B, C]);
    expect([0, 1, 2, 3].map(() => pool.order(0)[0])).toEqual([A, B, C, A]);
    expect(pool.order(0)).toEqual([B, C, A]);
  });

  it('passes over a URL that could not be reached until its cooldown ends, then takes it again', () => {
    const pool = upstreamPool([A, B], { cooldownMs: 1_000 });
    pool.failed(A, 0);
    // Still asked, but last: better than failing without asking when every replica seems down.
    expect(pool.order(500)).toEqual([B, A]); // A's turn
    expect(pool.order(999)).toEqual([B, A]); // B's turn
    expect(pool.order(999)).toEqual([B, A]); // A's turn again
    // The cooldown is over: A is taken in its turn.
    expect(pool.order(1_000)).toEqual([B, A]); // B's turn
    expect(pool.order(1_000)).toEqual([A, B]); // A's turn
  });

  it('takes a URL back at once when it answers', () => {
    const pool = upstreamPool([A, B], { cooldownMs: 1_000 });
    pool.failed(A, 0);
    pool.answered(A);
    expect(pool.order(1)).toEqual([A, B]);
  });

  it('among URLs cooling down, asks first the one that failed longest ago', () => {
    const pool = upstreamPool([A, B, C], { cooldownMs: 1_000 });
    pool.failed(C, 0);
    pool.failed(A, 10);
    expect(pool.order(20)).toEqual([B, C, A]);
  });

  it('with one URL, always gives that URL', () => {
    const pool = upstreamPool([A]);
    pool.failed(A, 0);
    expect(pool.order(1)).toEqual([A]);
  });

  it('refuses an empty list', () => {
    expect(() => upstreamPool([])).toThrow('at least one URL');
  });
});

describe('which failed requests may go to the next URL', () => {
  it('one that never connected, whatever its method', () => {
    for (const error of [refused(), fetchFailed('ECONNREFUSED'), fetchFailed('ENOTFOUND')]) {
      expect(neverConnected(error)).toBe(true);
      expect(mayTryNext('POST', error)).toBe(true);
      expect(mayTryNext('GET', error)).toBe(true);
    }
    // Happy eyeballs: every address refused, reported as one aggregate.
    const aggregate = new TypeError('fetch failed', {
      cause: Object.assign(new AggregateError([refused(), refused()]), { code: undefined }),
    });
    expect(mayTryNext('POST', aggregate)).toBe(true);
  });

  it('one whose connection broke before the answer, only when its method is idempotent', () => {
    for (const error of [fetchFailed('ECONNRESET'), fetchFailed('UND_ERR_SOCKET')]) {
      expect(lostBeforeAnswer(error)).toBe(true);
      expect(mayTryNext('GET', error)).toBe(true);
      expect(mayTryNext('PUT', error)).toBe(true);
      expect(mayTryNext('POST', error)).toBe(false);
      expect(mayTryNext('PATCH', error)).toBe(false);
    }
  });

  it('never one that timed out or got an answer', () => {
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    const answered = Object.assign(new Error('HTTP 500'), { status: 500 });
    for (const error of [timeout, answered, new Error('anything else')]) {
      expect(mayTryNext('GET', error)).toBe(false);
      expect(mayTryNext('POST', error)).toBe(false);
    }
  });
});

describe('callInTurn', () => {
  it('sends a refused request to the next URL and cools the refusing one down', async () => {
    const pool = upstreamPool([A, B], { cooldownMs: 1_000 });
    const asked: string[] = [];
    const answer = await callInTurn(
      pool,
      'POST',
      async (base) => {
        asked.push(base);
        if (base === A) throw fetchFailed('ECONNREFUSED');
        return `answer from ${base}`;
      },
      { now: () => 0 },
    );
    expect(answer).toBe(`answer from ${B}`);
    expect(asked).toEqual([A, B]);
    // A is passed over now: the next call starts at B, although it is A's turn.
    expect(pool.order(1)).toEqual([B, A]);
  });

  it('does not send a POST again once its connection broke: it may have been received', async () => {
    const pool = upstreamPool([A, B]);
    const asked: string[] = [];
    const lost = fetchFailed('ECONNRESET');
    await expect(
      callInTurn(pool, 'POST', async (base) => {
        asked.push(base);
        throw lost;
      }),
    ).rejects.toBe(lost);
    expect(asked).toEqual([A]);
  });

  it('throws the last failure when no URL could be reached', async () => {
    const pool = upstreamPool([A, B]);
    const failures = [fetchFailed('ECONNREFUSED'), fetchFailed('ECONNREFUSED')];
    let index = 0;
    await expect(
      callInTurn(pool, 'GET', async () => {
        throw failures[index++];
      }),
    ).rejects.toBe(failures[1]);
  });

  it('with one URL, makes exactly one attempt', async () => {
    const pool = upstreamPool([A]);
    let attempts = 0;
    await expect(
      callInTurn(pool, 'GET', async () => {
        attempts++;
        throw refused();
      }),
    ).rejects.toThrow('ECONNREFUSED');
    expect(attempts).toBe(1);
  });
});
