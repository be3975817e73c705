import type { AccessTokens } from './oauth2/access-tokens';

export type Credentials = { user: string; pass: string } | { user: string; accessToken: string };

/**
 * How the adapter signs in to its mail servers: with the password in IMAP_URL / SMTP_URL, or as
 * the URL's user with the current OAuth2 access token (XOAUTH2). `refused` is told when a
 * server turned the credentials down, so a token is renewed before the next attempt.
 */
export interface SignIn {
  credentials(): Promise<Credentials | undefined>;
  refused(credentials: Credentials): void;
}

const userOf = (url: URL) => decodeURIComponent(url.username);

export function passwordSignIn(url: URL): SignIn {
  const credentials = url.username
    ? { user: userOf(url), pass: decodeURIComponent(url.password) }
    : undefined;
  return { credentials: async () => credentials, refused: () => undefined };
}

export function oauth2SignIn(url: URL, tokens: AccessTokens): SignIn {
  return {
    credentials: async () => ({ user: userOf(url), accessToken: await tokens.get() }),
    refused: (c) => {
      if ('accessToken' in c) tokens.refused(c.accessToken);
    },
  };
}
