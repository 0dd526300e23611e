import './keys.css';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { CreatedApiKey } from '../../api/answers';
import { api } from '../../api/client';
import { useSession } from '../../api/session';
import { KeyRow } from './KeyRow';
import { NewKeyForm } from './NewKeyForm';
import { NewKeyShownOnce } from './NewKeyShownOnce';

/** The signed-in person's API keys: create one (shown once), list them with last use, revoke. */
export function KeysPage() {
  const session = useSession();
  const [created, setCreated] = useState<CreatedApiKey>();
  const keys = useQuery({
    queryKey: ['keys'],
    queryFn: () => api('GET /api/keys'),
  });
  const items = keys.data?.items ?? [];

  return (
    <>
      <h1>API keys</h1>
      <p>
        Scripts use a key as <code>Authorization: Bearer &lt;key&gt;</code>; it acts as you, with the roles
        you give it (never more than yours).
      </p>
      {created ? <NewKeyShownOnce created={created} onDone={() => setCreated(undefined)} /> : null}
      <section aria-labelledby="new-key-title">
        <h2 id="new-key-title">Create a key</h2>
        {session.via === 'api_key' ? (
          <p>Keys are created from a signed-in session, not with another key.</p>
        ) : (
          <NewKeyForm sessionRoles={session.roles} onCreated={setCreated} />
        )}
      </section>
      <section aria-labelledby="your-keys-title">
        <h2 id="your-keys-title">Your keys</h2>
        {keys.isPending ? <p aria-busy="true">Loading keys…</p> : null}
        {keys.isError ? <p role="alert">{keys.error.message}</p> : null}
        {keys.isSuccess && items.length === 0 ? <p>You have no API keys yet.</p> : null}
        {items.length > 0 ? (
          <div className="overflow-auto">
            <table className="keys-table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Roles</th>
                  <th scope="col">Created</th>
                  <th scope="col">Use</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {items.map((apiKey) => (
                  <KeyRow key={apiKey.id} apiKey={apiKey} />
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
    </>
  );
}
