import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext } from 'react';
import type { Session } from './answers';
import { ApiError, api, setCsrfToken } from './client';

const SessionContext = createContext<Session | undefined>(undefined);

/** The signed-in person; every page below the sign-in has one. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in page');
  return session;
}

export const hasRole = (session: Session, ...roles: string[]) =>
  roles.some((role) => session.roles.includes(role));

async function currentSession(): Promise<Session | null> {
  try {
    const session = await api('GET /api/auth/session');
    setCsrfToken(session.csrfToken);
    return session;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export const SESSION_KEY = ['session'] as const;

/** Renders `signIn` until someone is signed in, then `children` with the session. */
export function SessionGate({ signIn, children }: { signIn: ReactNode; children: ReactNode }) {
  const session = useQuery({
    queryKey: SESSION_KEY,
    queryFn: currentSession,
    staleTime: Number.POSITIVE_INFINITY,
  });
  if (session.isPending) return <p aria-busy="true">Loading…</p>;
  if (session.isError) return <p role="alert">The server could not be reached: {session.error.message}</p>;
  if (!session.data) return <>{signIn}</>;
  return <SessionContext.Provider value={session.data}>{children}</SessionContext.Provider>;
}

export function useSignIn() {
  const client = useQueryClient();
  return async (email: string, password: string) => {
    const answer = await api('POST /api/auth/login', { body: { email, password } });
    setCsrfToken(answer.csrfToken);
    await client.invalidateQueries({ queryKey: SESSION_KEY });
  };
}

export function useSignOut() {
  const client = useQueryClient();
  return async () => {
    await api('POST /api/auth/logout');
    setCsrfToken(undefined);
    // Signed out at once (the gate shows the sign-in page), and nothing of this person's data
    // stays in the cache for whoever signs in next. (Clearing the whole cache would drop the
    // session query from under its observer, which then never learns it is signed out.)
    client.setQueryData(SESSION_KEY, null);
    client.removeQueries({ predicate: (query) => query.queryKey[0] !== SESSION_KEY[0] });
  };
}
