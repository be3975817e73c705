import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

export interface TokenGrant {
  path: string;
  form: Record<string, string>;
}

export interface TokenServer {
  /** Google's shape: POST /token. */
  googleTokenUrl: string;
  /** Microsoft's shape: POST /<tenant>/oauth2/v2.0/token. */
  microsoftTokenUrl(tenant: string): string;
  /** RFC 7662 introspection, as Dovecot's oauth2 passdb asks it (introspection_mode = post). */
  introspectionUrl: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  /** Every renewal asked for, in order. */
  grants: TokenGrant[];
  /** Access tokens handed out, in order. */
  issued: string[];
  /** New refresh tokens handed out while rotating, in order. */
  rotated: string[];
  /** Whether a bearer token is one this server handed out for `user` and still good. */
  active(user: string, accessToken: string): boolean;
  /** How long the next access tokens live, in seconds. */
  setLifetime(seconds: number): void;
  /** Expires every token handed out so far, as a revocation or an early expiry does. */
  expireAll(): void;
  /** While refusing, renewals are answered as Google answers a revoked refresh token. */
  setRefusing(refusing: boolean): void;
  /** Hands out a new refresh token with each renewal (Microsoft's rotation); the old one stays valid. */
  setRotating(rotating: boolean): void;
  /** Answers renewals with this instead (a broken or hostile endpoint); undefined: as documented. */
  setAnswer(answer: { status: number; body: string } | undefined): void;
  stop(): Promise<void>;
}

const random = (n = 24) => randomBytes(n).toString('base64url');

async function formOf(req: IncomingMessage): Promise<Record<string, string>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/**
 * A local OAuth2 authorisation server standing in for Google's and Microsoft's token endpoints
 * (the `grant_type=refresh_token` form post both document, answering
 * `{access_token, expires_in, token_type}` or `{error, error_description}`) and for the
 * introspection endpoint a mail server asks whether a bearer token is still good.
 */
export async function startTokenServer(user: string): Promise<TokenServer> {
  const clientId = `client-${random(6)}`;
  const clientSecret = random();
  const refreshTokens = new Set([random(32)]);
  const [refreshToken] = refreshTokens;
  const tokens = new Map<string, { user: string; expiresAt: number }>();
  const grants: TokenGrant[] = [];
  const issued: string[] = [];
  const rotated: string[] = [];
  let lifetime = 3600;
  let refusing = false;
  let rotating = false;
  let answer: { status: number; body: string } | undefined;

  async function token(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const form = await formOf(req);
    grants.push({ path, form });
    if (answer) {
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      return void res.end(answer.body);
    }
    if (form['grant_type'] !== 'refresh_token')
      return json(res, 400, { error: 'unsupported_grant_type', error_description: 'Invalid grant_type' });
    if (form['client_id'] !== clientId || form['client_secret'] !== clientSecret)
      return json(res, 401, {
        error: 'invalid_client',
        error_description: 'The OAuth client was not found.',
      });
    if (refusing || !refreshTokens.has(form['refresh_token'] ?? ''))
      return json(res, 400, {
        error: 'invalid_grant',
        error_description: 'Token has been expired or revoked.',
      });
    const accessToken = `ya29.${random(48)}`;
    tokens.set(accessToken, { user, expiresAt: Date.now() + lifetime * 1000 });
    issued.push(accessToken);
    const next = rotating ? random(32) : undefined;
    if (next) {
      refreshTokens.add(next);
      rotated.push(next);
    }
    json(res, 200, {
      access_token: accessToken,
      expires_in: lifetime,
      token_type: 'Bearer',
      scope: form['scope'] ?? 'https://mail.google.com/',
      ...(next && { refresh_token: next }),
    });
  }

  async function introspect(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = await formOf(req);
    const known = tokens.get(form['token'] ?? '');
    if (!known || known.expiresAt <= Date.now()) return json(res, 200, { active: false });
    json(res, 200, {
      active: true,
      username: known.user,
      client_id: clientId,
      token_type: 'Bearer',
      exp: Math.floor(known.expiresAt / 1000),
    });
  }

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://stand-in').pathname;
    const handled =
      req.method !== 'POST'
        ? Promise.resolve(json(res, 405, { error: 'method_not_allowed' }))
        : path === '/token' || /^\/[^/]+\/oauth2\/v2\.0\/token$/.test(path)
          ? token(req, res, path)
          : path === '/introspect'
            ? introspect(req, res)
            : Promise.resolve(json(res, 404, { error: 'not_found' }));
    handled.catch(() => json(res, 500, { error: 'server_error' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    googleTokenUrl: `${base}/token`,
    microsoftTokenUrl: (tenant) => `${base}/${tenant}/oauth2/v2.0/token`,
    introspectionUrl: `${base}/introspect`,
    clientId,
    clientSecret,
    refreshToken: refreshToken!,
    grants,
    issued,
    rotated,
    active: (u, t) => {
      const known = tokens.get(t);
      return Boolean(known && known.user === u && known.expiresAt > Date.now());
    },
    setLifetime: (s) => (lifetime = s),
    expireAll: () => {
      for (const t of tokens.values()) t.expiresAt = 0;
    },
    setRefusing: (r) => (refusing = r),
    setRotating: (r) => (rotating = r),
    setAnswer: (a) => (answer = a),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
