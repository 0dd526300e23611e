import { lazy, Suspense } from 'react';
import { NavLink, Route, Routes } from 'react-router';
import { hasRole, SessionGate, useSession, useSignOut } from './api/session';
import { useLiveEvents } from './live/live-events';
import { BoardPage } from './pages/BoardPage';
import { SignInPage } from './pages/SignInPage';

// Each area loads when first opened: the board comes up without the rest of the app.
const ProjectPage = lazy(() =>
  import('./pages/project/ProjectPage').then((m) => ({ default: m.ProjectPage })),
);
const ApprovalsPage = lazy(() =>
  import('./pages/approvals/ApprovalsPage').then((m) => ({ default: m.ApprovalsPage })),
);
const TemplatesPage = lazy(() =>
  import('./pages/templates/TemplatesPage').then((m) => ({ default: m.TemplatesPage })),
);
const TemplatePage = lazy(() =>
  import('./pages/templates/TemplatePage').then((m) => ({ default: m.TemplatePage })),
);
const KeysPage = lazy(() => import('./pages/keys/KeysPage').then((m) => ({ default: m.KeysPage })));
const OperationsPage = lazy(() =>
  import('./pages/operations/OperationsPage').then((m) => ({ default: m.OperationsPage })),
);

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
        <nav aria-label="Main">
          <ul>
            <li>
              <strong>Delivery pipeline</strong>
            </li>
            <li>
              <NavLink to="/">Projects</NavLink>
            </li>
            <li>
              <NavLink to="/approvals">Approvals</NavLink>
            </li>
            <li>
              <NavLink to="/templates">Templates</NavLink>
            </li>
            <li>
              <NavLink to="/keys">API keys</NavLink>
            </li>
            {hasRole(session, 'admin', 'operator') ? (
              <li>
                <NavLink to="/operations">Operations</NavLink>
              </li>
            ) : null}
          </ul>
          <ul>
            <li>
              <small data-live={live}>{live === 'live' ? '● live' : '○ reconnecting…'}</small>
            </li>
            <li>
              <NavLink to="/keys" data-testid="who">
                {session.user.name} <small>({session.roles.join(', ')})</small>
              </NavLink>
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
        <Suspense fallback={<p aria-busy="true">Loading…</p>}>
          <Routes>
            <Route path="/" element={<BoardPage />} />
            <Route path="/projects/:id" element={<ProjectPage />} />
            <Route path="/approvals" element={<ApprovalsPage />} />
            <Route path="/templates" element={<TemplatesPage />} />
            <Route path="/templates/:id" element={<TemplatePage />} />
            <Route path="/keys" element={<KeysPage />} />
            <Route path="/operations" element={<OperationsPage />} />
            <Route path="*" element={<p>No such page.</p>} />
          </Routes>
        </Suspense>
      </main>
    </>
  );
}
