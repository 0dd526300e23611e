import { LIVE_ROUTING_KEYS } from '@delivery/contracts/live-events';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { useLiveEvents } from './live-events';

/**
 * An event the gateway does not stream today and the app never named: were the contracts to
 * add it to the live events, it must reach the app with no change here.
 */
const { ADDED } = vi.hoisted(() => ({ ADDED: 'pipeline.project.created.v1' }));

vi.mock('@delivery/contracts/live-events', async (importOriginal) => {
  const real = await importOriginal<typeof import('@delivery/contracts/live-events')>();
  return { ...real, LIVE_ROUTING_KEYS: [...real.LIVE_ROUTING_KEYS, ADDED] };
});

/** An EventSource that hands its listeners whatever the test dispatches. */
class FakeEventSource extends EventTarget {
  static last: FakeEventSource | undefined;
  onerror: (() => void) | null = null;
  closed = false;
  constructor(readonly url: string) {
    super();
    FakeEventSource.last = this;
  }
  close() {
    this.closed = true;
  }
  emit(type: string, payload: unknown) {
    this.dispatchEvent(new MessageEvent(type, { data: JSON.stringify({ type, payload }) }));
  }
}

const mount = () => {
  const client = new QueryClient();
  const invalidated = vi.spyOn(client, 'invalidateQueries').mockResolvedValue();
  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={client}>{children}</QueryClientProvider>
  );
  const hook = renderHook(() => useLiveEvents(), { wrapper });
  const source = FakeEventSource.last;
  if (!source) throw new Error('the hook opened no EventSource');
  return { hook, source, invalidated };
};

beforeEach(() => {
  FakeEventSource.last = undefined;
  vi.stubGlobal('EventSource', FakeEventSource);
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('the live events hook', () => {
  test('an event the contracts list and the app never named reaches the handler', () => {
    const { source, invalidated } = mount();
    expect(source.url).toBe('/api/events');
    act(() => source.emit(ADDED, { projectId: 'p1' }));
    expect(invalidated.mock.calls).toEqual([[{ queryKey: ['projects'] }], [{ queryKey: ['project', 'p1'] }]]);
  });

  test('every event the contracts say the gateway streams makes something stale', () => {
    const { source, invalidated } = mount();
    expect(LIVE_ROUTING_KEYS).toContain(ADDED);
    for (const key of LIVE_ROUTING_KEYS) {
      invalidated.mockClear();
      act(() => source.emit(key, { projectId: 'p1' }));
      expect({ key, invalidated: invalidated.mock.calls.length > 0 }).toEqual({ key, invalidated: true });
    }
  });

  test('an event outside the list is not listened for; ready goes live; resync refetches all; closes on unmount', () => {
    const { hook, source, invalidated } = mount();
    act(() => source.emit('pipeline.project.updated.v1', { projectId: 'p1' }));
    expect(invalidated).not.toHaveBeenCalled();
    expect(hook.result.current).toBe('connecting');
    act(() => source.emit('ready', { replayed: 0 }));
    expect(hook.result.current).toBe('live');
    act(() => source.emit('resync', { reason: 'too_old' }));
    expect(invalidated).toHaveBeenCalledWith();
    hook.unmount();
    expect(source.closed).toBe(true);
  });
});
