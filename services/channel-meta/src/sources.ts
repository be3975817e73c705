/**
 * The Pages and Instagram accounts the city answers from (the city's, the Governor's, the
 * Deputy Governor's…), each a source of its own with its own token: META_PAGES is
 * `id=token,id=token`. Ids are Graph ids (digits); tokens are never shown, not even in errors.
 */
export type Sources = ReadonlyMap<string, string>;

const GRAPH_ID = /^[0-9]{1,25}$/;
const TOKEN = /^[A-Za-z0-9._|%-]{8,}$/;

/** Throws naming every entry that is wrong (by position and id), so start-up says what to fix. */
export function parseSources(text: string | undefined): Sources {
  const sources = new Map<string, string>();
  if (!text?.trim()) return sources;
  const problems: string[] = [];
  text.split(',').forEach((entry, i) => {
    const at = `META_PAGES entry ${i + 1}`;
    const eq = entry.indexOf('=');
    if (eq < 0) return problems.push(`${at} must be id=token`);
    const id = entry.slice(0, eq).trim();
    const token = entry.slice(eq + 1).trim();
    if (!GRAPH_ID.test(id))
      return problems.push(`${at}: the id must be a Page or Instagram account id (digits)`);
    if (!TOKEN.test(token)) return problems.push(`${at} (${id}): the token is empty or not an access token`);
    if (sources.has(id)) return problems.push(`${at}: ${id} is listed twice`);
    sources.set(id, token);
  });
  if (problems.length) throw new Error(problems.join('; '));
  return sources;
}
