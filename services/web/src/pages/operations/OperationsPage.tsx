import { Link, useSearchParams } from 'react-router';
import { hasRole, useSession } from '../../api/session';
import { DeadLettersView } from './DeadLettersView';
import { GatesView } from './GatesView';
import { JobsView } from './JobsView';
import { VIEWS, viewLink, viewOf } from './views';
import './operations.css';

/** Who keeps the system running (and the APIs behind this page let in). */
const OPERATIONS_ROLES = ['admin', 'operator'];

/** `/operations`: what is stuck (jobs, dead letters) and the gates that hold projects back. */
export function OperationsPage() {
  const session = useSession();
  const [params] = useSearchParams();
  if (!hasRole(session, ...OPERATIONS_ROLES)) {
    return (
      <article className="operations">
        <h1>Operations</h1>
        <p data-testid="operations-forbidden">
          The Operations area needs the admin or operator role. You are signed in as {session.user.name}
          {session.roles.length > 0 ? ` with the roles ${session.roles.join(', ')}` : ' without any role'}.
        </p>
      </article>
    );
  }
  const view = viewOf(params);
  return (
    <div className="operations">
      <h1>Operations</h1>
      <nav aria-label="Operations views">
        <ul>
          {VIEWS.map(({ id, label }) => (
            <li key={id}>
              <Link to={viewLink(params, id)} aria-current={id === view ? 'page' : undefined}>
                {label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {view === 'jobs' ? <JobsView /> : null}
      {view === 'dead-letters' ? <DeadLettersView /> : null}
      {view === 'gates' ? <GatesView /> : null}
    </div>
  );
}
