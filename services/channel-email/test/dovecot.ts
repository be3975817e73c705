import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';

/** Dovecot forks into the background; with stdio ignored its exit is the master's start-up result. */
function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}`)),
    );
  });
}
const DOVECOT = ['/usr/sbin/dovecot', '/usr/bin/dovecot'].find((p) => existsSync(p));
const DOVEADM = ['/usr/bin/doveadm', '/usr/sbin/doveadm'].find((p) => existsSync(p)) ?? 'doveadm';

export interface TestMailServer {
  port: number;
  imapUrl: string;
  /** The mailbox user (its password is for `append` only when OAuth2 signs the adapter in). */
  user: string;
  /** Puts a raw RFC 5322 message into INBOX, as a delivering MTA would. */
  append(raw: string | Buffer): Promise<number>;
  /** Ends every IMAP session of the user, as a server restart or a load balancer would. */
  kick(): Promise<void>;
  /** Dovecot's own log (logins name their mechanism: `method=XOAUTH2`). */
  log(): Promise<string>;
  stop(): Promise<void>;
}

export interface DovecotOptions {
  /**
   * Adds Dovecot's OAuth2 passdb for XOAUTH2: it asks this RFC 7662 introspection endpoint
   * (form post `token=…`) whether a bearer token is active and whose it is (`username`).
   */
  oauth2IntrospectionUrl?: string;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const sock = connect(port, '127.0.0.1', () => {
        sock.end();
        resolve(true);
      });
      sock.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Dovecot did not listen on 127.0.0.1:${port} within ${timeoutMs} ms`);
}

/**
 * A private Dovecot on a loopback high port, from a throw-away config in a temp folder
 * (its own base_dir, state and maildir; one {PLAIN} test user). Fails, never skips, when
 * Dovecot is not installed.
 */
export async function startDovecot(opts: DovecotOptions = {}): Promise<TestMailServer> {
  if (!DOVECOT) {
    throw new Error(
      'Dovecot is not installed; the e-mail tests need a real IMAP server. Run: deploy/local/mail/install-dovecot.sh',
    );
  }
  const dir = await mkdtemp(join(tmpdir(), 'aduan-dovecot-'));
  await chmod(dir, 0o755); // the mail user (nobody) must reach its home below
  const mail = join(dir, 'mail');
  await mkdir(join(dir, 'run'));
  await mkdir(join(dir, 'state'));
  await mkdir(mail);
  await chown(mail, 65534, 65534).catch(() => undefined); // nobody:nogroup when we are root
  const port = await freePort();
  const user = 'pengaduan';
  const password = 'test-password';
  await writeFile(join(dir, 'users'), `${user}:{PLAIN}${password}\n`);
  const oauth2 = opts.oauth2IntrospectionUrl;
  if (oauth2)
    await writeFile(
      join(dir, 'oauth2.conf.ext'),
      `introspection_mode = post
introspection_url = ${oauth2}
username_attribute = username
active_attribute = active
active_value = true
`,
    );
  const conf = join(dir, 'dovecot.conf');
  await writeFile(
    conf,
    `base_dir = ${dir}/run
state_dir = ${dir}/state
instance_name = aduan-test-${port}
listen = 127.0.0.1
protocols = imap
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login${oauth2 ? ' xoauth2' : ''}
log_path = ${dir}/dovecot.log
first_valid_uid = 1
mail_uid = nobody
mail_gid = nogroup
mail_location = maildir:${mail}/%u
passdb {
  driver = passwd-file
  args = scheme=PLAIN ${dir}/users
  mechanisms = plain login
}
${
  oauth2
    ? `passdb {
  driver = oauth2
  mechanisms = xoauth2
  args = ${dir}/oauth2.conf.ext
}
`
    : ''
}userdb {
  driver = static
  args = uid=nobody gid=nogroup home=${mail}/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
  chroot =
}
service anvil {
  chroot =
}
`,
  );
  await run(DOVECOT, ['-c', conf]);
  await waitForPort(port);

  const imapUrl = `imap://${user}:${password}@127.0.0.1:${port}/INBOX`;
  return {
    port,
    imapUrl,
    user,
    async append(raw) {
      const client = new ImapFlow({
        host: '127.0.0.1',
        port,
        secure: false,
        doSTARTTLS: false,
        auth: { user, pass: password },
        logger: false,
      });
      await client.connect();
      try {
        const res = await client.append('INBOX', raw);
        return res ? Number(res.uid) : -1;
      } finally {
        await client.logout();
      }
    },
    async kick() {
      await run(DOVEADM, ['-c', conf, 'kick', user]);
    },
    log: () => readFile(join(dir, 'dovecot.log'), 'utf8'),
    async stop() {
      await run(DOVECOT, ['-c', conf, 'stop']).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
