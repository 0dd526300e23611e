import { NavLink, Route, Routes } from 'react-router';
import { hasRole, SessionGate, useSession, useSignOut } from './api/session';
import { useLiveEvents } from './live/live-events';
import { BoardPage } from './pages/BoardPage';
import { SignInPage } from './pages/SignInPage';

export function App() {
  return (
    <SessionGate signIn={<SignInPage />}>
      <SignedIn />
    </SessionGate>
  );
}

function SignedIn() {
  const session = useSession();
  const signOut = useSignOut();
  const live = useLiveEvents();
  return (
    <>
      <header className="container-fluid">
        <nav>
          <ul>
            <li>
              <strong>Delivery pipeline</strong>
            </li>
            <li>
              <NavLink to="/">Projects</NavLink>
            </li>
          </ul>
          <ul>
            <li>
              <small data-live={live}>{live === 'live' ? '● live' : '○ reconnecting…'}</small>
            </li>
            <li>
              <span data-testid="who">
                {session.user.name} <small>({session.roles.join(', ')})</small>
              </span>
            </li>
            <li>
              <button type="button" className="secondary outline" onClick={() => void signOut()}>
                Sign out
              </button>
            </li>
          </ul>
        </nav>
      </header>
      <main className="container-fluid">
        <Routes>
          <Route path="/" element={<BoardPage />} />
          <Route path="*" element={<p>No such page.</p>} />
        </Routes>
      </main>
      {hasRole(session, 'admin') ? null : null}
    </>
  );
}
