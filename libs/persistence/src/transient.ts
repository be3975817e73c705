/** Network conditions of a server that is not listening yet, restarting, or not yet in DNS. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

/**
 * SQLSTATEs of a server that will accept us shortly: 57P03 cannot_connect_now (starting up,
 * shutting down, recovering), 53300 too_many_connections, class 08 connection exceptions.
 */
const SQLSTATES = new Set(['57P03', '53300', '08000', '08001', '08003', '08004', '08006']);

function causes(err: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e: unknown = err; e && chain.length < 8; e = (e as { cause?: unknown }).cause) chain.push(e);
  return chain;
}

/** True when a failure to open the database passes by itself, so start-up should wait. */
export function isDatabaseStarting(err: unknown): boolean {
  return causes(err).some((e) => {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || SQLSTATES.has(code))) return true;
    const message = e instanceof Error ? e.message : '';
    // node-postgres reports a server that hung up during start-up without a code.
    return /Connection terminated (unexpectedly|due to connection timeout)|timeout expired/i.test(message);
  });
}
