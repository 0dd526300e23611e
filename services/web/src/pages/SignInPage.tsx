import { type FormEvent, useState } from 'react';
import { ApiError } from '../api/client';
import { useSignIn } from '../api/session';

export function SignInPage() {
  const signIn = useSignIn();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(undefined);
    try {
      await signIn(String(form.get('email')), String(form.get('password')));
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : 'The server could not be reached');
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="container sign-in">
      <article>
        <h1>Sign in</h1>
        <form onSubmit={submit}>
          <label>
            Email
            <input name="email" type="text" autoComplete="username" required />
          </label>
          <label>
            Password
            <input name="password" type="password" autoComplete="current-password" required />
          </label>
          {error ? (
            <p role="alert" className="error">
              {error}
            </p>
          ) : null}
          <button type="submit" aria-busy={busy} disabled={busy}>
            Sign in
          </button>
        </form>
      </article>
    </main>
  );
}
