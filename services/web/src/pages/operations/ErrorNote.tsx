import { ApiError } from '../../api/client';

/** An API error as the API said it; a 403 also says which roles the action needs. */
export function ErrorNote({ error }: { error: Error | null | undefined }) {
  if (!error) return null;
  const roles = error instanceof ApiError ? error.details?.requiredRoles : undefined;
  return (
    <p role="alert" className="error">
      {error.message}
      {Array.isArray(roles) ? ` (needs: ${roles.join(' or ')})` : null}
    </p>
  );
}
