import { ConfigError } from '@aduan/platform';

/** Where and how the access token of the mailbox user is renewed. */
export interface OAuth2Client {
  provider: 'google' | 'microsoft' | 'custom';
  tokenUrl: string;
  clientId: string;
  clientSecret?: string;
  refreshToken: string;
  scope?: string;
}

/** The settings read here, as `emailSettings` types them. */
export interface OAuth2Settings {
  IMAP_URL?: string;
  SMTP_URL?: string;
  EMAIL_OAUTH2_PROVIDER?: string;
  EMAIL_OAUTH2_CLIENT_ID?: string;
  EMAIL_OAUTH2_CLIENT_SECRET?: string;
  EMAIL_OAUTH2_REFRESH_TOKEN?: string;
  EMAIL_OAUTH2_TENANT?: string;
  EMAIL_OAUTH2_TOKEN_URL?: string;
  EMAIL_OAUTH2_SCOPE?: string;
}

const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';
const microsoftTokenUrl = (tenant: string) =>
  `https://login.microsoftonline.com/${encodeURIComponent(tenant)}/oauth2/v2.0/token`;
// One access token serves both IMAP and SMTP only when both scopes name the same resource
// (outlook.office.com); offline_access keeps a refresh token coming back with each renewal.
const MICROSOFT_SCOPE =
  'https://outlook.office.com/IMAP.AccessAsUser.All https://outlook.office.com/SMTP.Send offline_access';

const OAUTH2_SETTINGS = [
  'EMAIL_OAUTH2_CLIENT_ID',
  'EMAIL_OAUTH2_CLIENT_SECRET',
  'EMAIL_OAUTH2_REFRESH_TOKEN',
  'EMAIL_OAUTH2_TENANT',
  'EMAIL_OAUTH2_TOKEN_URL',
  'EMAIL_OAUTH2_SCOPE',
] as const;

/**
 * The OAuth2 client the settings describe, or null when the mailbox signs in with a password.
 * Every inconsistent combination is refused at start-up, all at once, each naming what to set:
 * a half-configured OAuth2 sign-in would otherwise show up only as a mailbox that never connects.
 */
export function oauth2ClientOf(service: string, c: OAuth2Settings): OAuth2Client | null {
  const problems: string[] = [];
  const provider = c.EMAIL_OAUTH2_PROVIDER as OAuth2Client['provider'] | undefined;
  if (!provider) {
    const given = OAUTH2_SETTINGS.filter((name) => c[name] !== undefined);
    if (given.length)
      throw new ConfigError(service, [
        `set EMAIL_OAUTH2_PROVIDER (google, microsoft or custom) to sign in with OAuth2, or unset ${given.join(', ')}`,
      ]);
    return null;
  }

  if (!c.IMAP_URL && !c.SMTP_URL)
    problems.push(
      `set IMAP_URL or SMTP_URL: EMAIL_OAUTH2_PROVIDER is set but there is no mailbox to sign in to`,
    );
  for (const name of ['IMAP_URL', 'SMTP_URL'] as const) {
    const raw = c[name];
    if (!raw) continue;
    const url = new URL(raw);
    if (!url.username)
      problems.push(
        `set the mailbox user in ${name} (${url.protocol}//user@${url.host}): OAuth2 signs in as that user`,
      );
    if (url.password)
      problems.push(
        `remove the password from ${name}: with EMAIL_OAUTH2_PROVIDER the URL names the user only and the access token signs in`,
      );
  }
  if (!c.EMAIL_OAUTH2_CLIENT_ID) problems.push('set EMAIL_OAUTH2_CLIENT_ID: the OAuth2 client id of the app');
  if (!c.EMAIL_OAUTH2_REFRESH_TOKEN)
    problems.push('set EMAIL_OAUTH2_REFRESH_TOKEN: the refresh token the mailbox user granted the app');
  if (provider === 'google' && !c.EMAIL_OAUTH2_CLIENT_SECRET)
    problems.push(
      'set EMAIL_OAUTH2_CLIENT_SECRET: Google renews a token only for the client id with its secret',
    );
  if (provider === 'microsoft' && !c.EMAIL_OAUTH2_TENANT && !c.EMAIL_OAUTH2_TOKEN_URL)
    problems.push(
      "set EMAIL_OAUTH2_TENANT: the mailbox's Microsoft Entra tenant (directory id or domain, or 'organizations')",
    );
  if (provider !== 'microsoft' && c.EMAIL_OAUTH2_TENANT)
    problems.push(`unset EMAIL_OAUTH2_TENANT: it is for EMAIL_OAUTH2_PROVIDER=microsoft only`);
  if (provider === 'custom' && !c.EMAIL_OAUTH2_TOKEN_URL)
    problems.push('set EMAIL_OAUTH2_TOKEN_URL: the token endpoint of the custom OAuth2 provider');
  if (problems.length) throw new ConfigError(service, problems);

  const tokenUrl =
    c.EMAIL_OAUTH2_TOKEN_URL ??
    (provider === 'google' ? GOOGLE_TOKEN_URL : microsoftTokenUrl(c.EMAIL_OAUTH2_TENANT!));
  const scope = c.EMAIL_OAUTH2_SCOPE ?? (provider === 'microsoft' ? MICROSOFT_SCOPE : undefined);
  return {
    provider,
    tokenUrl,
    clientId: c.EMAIL_OAUTH2_CLIENT_ID!,
    refreshToken: c.EMAIL_OAUTH2_REFRESH_TOKEN!,
    ...(c.EMAIL_OAUTH2_CLIENT_SECRET && { clientSecret: c.EMAIL_OAUTH2_CLIENT_SECRET }),
    ...(scope && { scope }),
  };
}
