import { Client } from 'pg';
import { eventually } from './eventually';
import { startServiceProcess, type ServiceProcess } from './service-process';

export interface CrashBeforeReply<M> {
  /** The folder under services/. */
  service: string;
  env: NodeJS.ProcessEnv & { DATABASE_URL: string };
  /** Takes the provider stand-in down (every send refused, as in an outage) or up again. */
  providerUp(up: boolean): void;
  /** Makes the running adapter accept something that owes the citizen a message. */
  deliver(process: ServiceProcess): Promise<void>;
  /** The messages the provider stand-in accepted for that citizen. */
  delivered(): M[];
}

/**
 * The channel kit's promise across a crash: the adapter accepts a complaint, its message to the
 * citizen fails once and waits in the outbox, the process is killed (SIGKILL: nothing drains),
 * the provider comes back, and after the restart the citizen gets the message exactly once.
 * Returns that message.
 */
export async function expectOneReplyAcrossKill<M>(h: CrashBeforeReply<M>): Promise<M> {
  let service: ServiceProcess | undefined = await startServiceProcess(h.service, h.env);
  try {
    h.providerUp(false);
    await h.deliver(service);
    // Killed once the failed attempt is recorded: a kill during a send would hold the message
    // for the claim's lease (minutes) before it goes again, which is not what this checks.
    await waitForRetryInOutbox(h.env.DATABASE_URL);
    await service.kill();
    service = undefined;
    h.providerUp(true);
    service = await startServiceProcess(h.service, h.env);
    await eventually(() => expect(h.delivered()).toHaveLength(1), { timeoutMs: 60_000 });
    // Nothing more follows.
    await new Promise((r) => setTimeout(r, 2000));
    expect(h.delivered()).toHaveLength(1);
    return h.delivered()[0]!;
  } finally {
    await service?.stop();
  }
}

async function waitForRetryInOutbox(databaseUrl: string): Promise<void> {
  const pg = new Client({ connectionString: databaseUrl });
  await pg.connect();
  try {
    await eventually(
      async () => {
        const { rows } = await pg.query(
          `SELECT count(*)::int AS n FROM channel_delivery WHERE status = 'pending' AND last_error IS NOT NULL`,
        );
        expect(rows[0].n).toBeGreaterThan(0);
      },
      { timeoutMs: 60_000 },
    );
  } finally {
    await pg.end();
  }
}
