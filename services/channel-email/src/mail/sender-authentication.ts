/**
 * Whether a mail's From can be believed, as our own receiving server judged it (RFC 8601
 * `Authentication-Results`). Anyone can write that header into a mail, so only a header whose
 * authserv-id is our server's counts, and of those only the topmost: the receiving server adds
 * its header above everything the sender wrote (and RFC 8601 §5 has it remove look-alikes).
 *
 * A From is authenticated when DKIM passes for the From's domain (the signature's d= is that
 * domain or a parent of it, the alignment DMARC asks) and SPF passes. A header that says dkim or
 * spf failed marks the mail as forged; no header of ours at all is "unknown".
 */

export type SenderVerdict = 'pass' | 'fail' | 'unknown';

interface MethodResult {
  method: string;
  result: string;
  props: Record<string, string>;
}

/** Comments `( … )` may nest; they carry nothing we read. */
function withoutComments(value: string): string {
  let out = '';
  let depth = 0;
  for (const ch of value) {
    if (ch === '(') depth++;
    else if (ch === ')' && depth > 0) depth--;
    else if (depth === 0) out += ch;
  }
  return out;
}

/** `authserv-id [version]; method=result prop=value …; …` → its id and results. */
export function parseAuthenticationResults(
  value: string,
): { authservId: string; results: MethodResult[] } | null {
  const [head, ...parts] = withoutComments(value.replace(/\r?\n[ \t]+/g, ' ')).split(';');
  const authservId = head?.trim().split(/\s+/)[0]?.replace(/^"|"$/g, '').toLowerCase();
  if (!authservId) return null;
  const results: MethodResult[] = [];
  for (const part of parts) {
    const tokens = part.trim().split(/\s+/).filter(Boolean);
    const first = /^([a-z0-9-]+)(?:\/[0-9]+)?=([a-z]+)$/i.exec(tokens[0] ?? '');
    if (!first) continue; // `none`, or a method we cannot read
    const props: Record<string, string> = {};
    for (const t of tokens.slice(1)) {
      const kv = /^([a-z0-9-]+\.[a-z0-9-]+)=(.+)$/i.exec(t);
      if (kv) props[kv[1]!.toLowerCase()] = kv[2]!.replace(/^"|"$/g, '').toLowerCase();
    }
    results.push({ method: first[1]!.toLowerCase(), result: first[2]!.toLowerCase(), props });
  }
  return { authservId, results };
}

const domainOf = (identity: string | undefined): string | undefined =>
  identity?.includes('@') ? identity.slice(identity.lastIndexOf('@') + 1) : identity;

/** d=example.go.id signs mail from example.go.id and from its subdomains (relaxed alignment). */
const aligned = (signer: string | undefined, fromDomain: string): boolean =>
  Boolean(signer) && (fromDomain === signer || fromDomain.endsWith(`.${signer}`));

/**
 * The verdict of our server on this mail. `headers` are the mail's Authentication-Results values
 * in the order they appear (topmost first); `authservId` is our receiving server's id.
 */
export function senderVerdict(
  headers: readonly string[],
  authservId: string,
  fromAddress: string | undefined,
): SenderVerdict {
  const ours = headers
    .map(parseAuthenticationResults)
    .find((h) => h !== null && h.authservId === authservId.toLowerCase());
  if (!ours || !fromAddress) return 'unknown';
  const fromDomain = fromAddress.slice(fromAddress.lastIndexOf('@') + 1).toLowerCase();
  const dkim = ours.results.filter((r) => r.method === 'dkim');
  const spf = ours.results.filter((r) => r.method === 'spf');
  const dkimAligned = dkim.some(
    (r) => r.result === 'pass' && aligned(r.props['header.d'] ?? domainOf(r.props['header.i']), fromDomain),
  );
  const spfPass = spf.some((r) => r.result === 'pass');
  if (dkimAligned && spfPass) return 'pass';
  const failed = (r: MethodResult) => r.result === 'fail' || r.result === 'permerror';
  if (dkim.some(failed) || spf.some(failed) || ours.results.some((r) => r.method === 'dmarc' && failed(r)))
    return 'fail';
  return 'unknown';
}
