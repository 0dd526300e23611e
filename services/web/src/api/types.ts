// TODO(issue 18): the gateway's answers, until its route contracts land; then from api/answers.ts.
/** The signed-in person's session, as the gateway answers it (`GET /api/auth/session`). */
export interface Account {
  id: string;
  email: string;
  name: string;
  roles: string[];
}

export interface Session {
  user: Account;
  roles: string[];
  via: 'session' | 'api_key';
  csrfToken?: string;
}
