import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { ApiKeyView } from '../../api/answers';
import { api } from '../../api/client';
import { keyUseText } from './key-form';

const when = (iso: string) => new Date(iso).toLocaleString();

/** One key; revoking asks first, because scripts using the key stop working at once. */
export function KeyRow({ apiKey }: { apiKey: ApiKeyView }) {
  const client = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const revoke = useMutation({
    mutationFn: () => api('DELETE /api/keys/:id', { params: { id: apiKey.id } }),
    onSuccess: async () => {
      setConfirming(false);
      await client.invalidateQueries({ queryKey: ['keys'] });
    },
  });

  return (
    <tr data-key={apiKey.name}>
      <td>
        <strong>{apiKey.name}</strong>
        <br />
        <small>
          <code>{apiKey.id}</code>
        </small>
      </td>
      <td>{apiKey.roles.join(', ') || '—'}</td>
      <td>
        <time dateTime={apiKey.createdAt}>{when(apiKey.createdAt)}</time>
      </td>
      <td>{apiKey.revokedAt ? <del>{keyUseText(apiKey, when)}</del> : keyUseText(apiKey, when)}</td>
      <td>
        {apiKey.revokedAt ? null : confirming ? (
          <div aria-busy={revoke.isPending}>
            <p>Revoke “{apiKey.name}”? Scripts using it stop working at once.</p>
            <div className="button-row">
              <button
                type="button"
                className="contrast"
                aria-label={`Yes, revoke ${apiKey.name}`}
                disabled={revoke.isPending}
                onClick={() => revoke.mutate()}
              >
                Yes, revoke
              </button>
              <button
                type="button"
                className="secondary outline"
                disabled={revoke.isPending}
                onClick={() => setConfirming(false)}
              >
                Cancel
              </button>
            </div>
          </div>
        ) : (
          <button
            type="button"
            className="outline contrast"
            aria-label={`Revoke ${apiKey.name}`}
            onClick={() => setConfirming(true)}
          >
            Revoke
          </button>
        )}
        {revoke.isError ? (
          <p role="alert" className="error">
            {revoke.error.message}
          </p>
        ) : null}
      </td>
    </tr>
  );
}
