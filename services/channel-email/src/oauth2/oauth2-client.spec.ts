import { runChannel } from '@aduan/channel-sdk';
import { ConfigError } from '@aduan/platform';
import { capturedLogger } from '@aduan/testing';
import { email } from '../email';
import { oauth2ClientOf, type OAuth2Settings } from './oauth2-client';

const google: OAuth2Settings = {
  IMAP_URL: 'imaps://pengaduan%40jakarta.go.id@imap.gmail.com:993/INBOX',
  SMTP_URL: 'smtps://pengaduan%40jakarta.go.id@smtp.gmail.com:465',
  EMAIL_OAUTH2_PROVIDER: 'google',
  EMAIL_OAUTH2_CLIENT_ID: 'client-1.apps.googleusercontent.com',
  EMAIL_OAUTH2_CLIENT_SECRET: 'client-secret-value',
  EMAIL_OAUTH2_REFRESH_TOKEN: 'refresh-token-value',
};

function problemsOf(settings: OAuth2Settings): string[] {
  try {
    oauth2ClientOf('channel-email', settings);
    return [];
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
}

describe('the OAuth2 sign-in settings', () => {
  it('are off, with the passwords in the URLs, when no provider is named', () => {
    expect(oauth2ClientOf('channel-email', { IMAP_URL: 'imaps://u:p@imap.example:993/INBOX' })).toBeNull();
  });

  it("derive Google's token endpoint and send no scope", () => {
    expect(oauth2ClientOf('channel-email', google)).toEqual({
      provider: 'google',
      tokenUrl: 'https://oauth2.googleapis.com/token',
      clientId: 'client-1.apps.googleusercontent.com',
      clientSecret: 'client-secret-value',
      refreshToken: 'refresh-token-value',
    });
  });

  it("derive the tenant's Microsoft endpoint and ask for Outlook's IMAP and SMTP scopes; a public client needs no secret", () => {
    const client = oauth2ClientOf('channel-email', {
      ...google,
      EMAIL_OAUTH2_PROVIDER: 'microsoft',
      EMAIL_OAUTH2_CLIENT_SECRET: undefined,
      EMAIL_OAUTH2_TENANT: 'jakarta.go.id',
    });
    expect(client).toMatchObject({
      provider: 'microsoft',
      tokenUrl: 'https://login.microsoftonline.com/jakarta.go.id/oauth2/v2.0/token',
      scope:
        'https://outlook.office.com/IMAP.AccessAsUser.All https://outlook.office.com/SMTP.Send offline_access',
    });
    expect(client).not.toHaveProperty('clientSecret');
  });

  it('take the token endpoint and scope given over the derived ones', () => {
    expect(
      oauth2ClientOf('channel-email', {
        ...google,
        EMAIL_OAUTH2_TOKEN_URL: 'https://sso.jakarta.go.id/token',
        EMAIL_OAUTH2_SCOPE: 'mail',
      }),
    ).toMatchObject({ tokenUrl: 'https://sso.jakarta.go.id/token', scope: 'mail' });
  });

  it('refuse OAuth2 credentials without a provider, naming what to set', () => {
    expect(problemsOf({ EMAIL_OAUTH2_REFRESH_TOKEN: 'x', EMAIL_OAUTH2_CLIENT_ID: 'y' })).toEqual([
      expect.stringMatching(/^set EMAIL_OAUTH2_PROVIDER \(google, microsoft or custom\)/),
    ]);
  });

  it('refuse every missing piece at once, without repeating the password they refuse', () => {
    const problems = problemsOf({
      IMAP_URL: 'imaps://pengaduan:hunter2@imap.gmail.com:993/INBOX',
      SMTP_URL: 'smtps://smtp.gmail.com:465',
      EMAIL_OAUTH2_PROVIDER: 'google',
    });
    expect(problems.map((p) => p.split(':')[0])).toEqual([
      'remove the password from IMAP_URL',
      'set the mailbox user in SMTP_URL (smtps',
      'set EMAIL_OAUTH2_CLIENT_ID',
      'set EMAIL_OAUTH2_REFRESH_TOKEN',
      'set EMAIL_OAUTH2_CLIENT_SECRET',
    ]);
    expect(problems.join('\n')).not.toContain('hunter2');
  });

  it('ask Microsoft for its tenant, custom for its token endpoint, and a mailbox for any', () => {
    expect(problemsOf({ ...google, EMAIL_OAUTH2_PROVIDER: 'microsoft' })).toEqual([
      expect.stringMatching(/^set EMAIL_OAUTH2_TENANT: /),
    ]);
    expect(problemsOf({ ...google, EMAIL_OAUTH2_PROVIDER: 'custom' })).toEqual([
      expect.stringMatching(/^set EMAIL_OAUTH2_TOKEN_URL: /),
    ]);
    expect(problemsOf({ ...google, EMAIL_OAUTH2_TENANT: 'jakarta.go.id' })).toEqual([
      expect.stringMatching(/^unset EMAIL_OAUTH2_TENANT: /),
    ]);
    expect(problemsOf({ ...google, IMAP_URL: undefined, SMTP_URL: undefined })).toEqual([
      expect.stringMatching(/^set IMAP_URL or SMTP_URL: /),
    ]);
  });
});

describe('channel-email with an inconsistent OAuth2 sign-in', () => {
  it('does not start, before it connects to anything, and says what to set', async () => {
    const env = {
      IMAP_URL: 'imaps://pengaduan:hunter2@imap.gmail.com:993/INBOX',
      EMAIL_OAUTH2_PROVIDER: 'google',
      EMAIL_OAUTH2_CLIENT_ID: 'client-1.apps.googleusercontent.com',
      EMAIL_OAUTH2_REFRESH_TOKEN: 'refresh-token-value',
      // Nothing listens here: reaching the database would fail differently, and later.
      DATABASE_URL: 'postgres://postgres@127.0.0.1:9/none',
      KAFKA_BROKERS: '127.0.0.1:9',
      TRACKING_CODE_SECRET: 'unit-test-secret',
    };
    const started = runChannel(email, env, capturedLogger('channel-email').logger);
    await expect(started).rejects.toThrow(ConfigError);
    await expect(started).rejects.toThrow(
      /remove the password from IMAP_URL[^]*set EMAIL_OAUTH2_CLIENT_SECRET/,
    );
  });
});
