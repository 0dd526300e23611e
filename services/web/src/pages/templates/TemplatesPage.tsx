import './templates.css';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { hasRole, useSession } from '../../api/session';
import { NewTemplateForm } from './NewTemplateForm';

/** Every template (searchable by name, `?search=`), and for admins a form to start a new one. */
export function TemplatesPage() {
  const session = useSession();
  const [params, setParams] = useSearchParams();
  const search = params.get('search')?.trim() ?? '';
  const templates = useInfiniteQuery({
    queryKey: ['templates', 'list', search],
    queryFn: ({ pageParam }) =>
      api('GET /api/templates', {
        query: { limit: 50, search: search || undefined, cursor: pageParam || undefined },
      }),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = templates.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <>
      <h1>Templates</h1>
      <form aria-label="Search templates" onSubmit={(event) => event.preventDefault()}>
        <label>
          Search by name
          <input
            type="search"
            value={params.get('search') ?? ''}
            onChange={(event) => {
              const next = new URLSearchParams(params);
              if (event.target.value) next.set('search', event.target.value);
              else next.delete('search');
              setParams(next, { replace: true });
            }}
          />
        </label>
      </form>
      {templates.isPending ? <p aria-busy="true">Loading templates…</p> : null}
      {templates.isError ? <p role="alert">{templates.error.message}</p> : null}
      {templates.isSuccess && items.length === 0 ? (
        <p>{search ? `No template matches “${search}”.` : 'No templates yet.'}</p>
      ) : null}
      {items.length > 0 ? (
        <div className="overflow-auto">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Status</th>
                <th scope="col">Version</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {items.map((template) => (
                <tr key={template.id} data-template={template.name}>
                  <td>
                    <Link to={`/templates/${template.id}`}>{template.name}</Link>
                    {template.description ? (
                      <small className="template-description">{template.description}</small>
                    ) : null}
                  </td>
                  <td>
                    <span className={`template-status template-status-${template.status}`}>
                      {template.status}
                    </span>
                  </td>
                  <td>{template.version}</td>
                  <td>
                    <time dateTime={template.updatedAt}>{new Date(template.updatedAt).toLocaleString()}</time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {templates.hasNextPage ? (
        <button
          type="button"
          className="outline"
          aria-busy={templates.isFetchingNextPage}
          disabled={templates.isFetchingNextPage}
          onClick={() => void templates.fetchNextPage()}
        >
          More templates
        </button>
      ) : null}
      {hasRole(session, 'admin') ? <NewTemplateForm /> : null}
    </>
  );
}
