/**
 * The words every service shares. Kept as const tuples so that JSON Schemas (enums) and
 * TypeScript unions are generated from one list and cannot drift apart.
 */

/**
 * A channel is a registered name, not a member of a closed list: a new channel adapter can
 * publish under its own name before any consumer is redeployed, and every consumer accepts it
 * (ADR 0015). The pattern keeps names usable as metric labels, database keys and URL parts.
 */
export const CHANNEL_NAME_PATTERN = '^[a-z][a-z0-9_]{1,31}$';
const channelName = new RegExp(CHANNEL_NAME_PATTERN);

/**
 * A reporter's pseudonymous reference on the bus (ADR 0058): `rp_` and 16 to 64 URL-safe
 * characters. It names the sealed contact in the adapter's store and nothing else.
 */
export const REPORTER_REF_PATTERN = '^rp_[A-Za-z0-9_-]{16,64}$';
const reporterRef = new RegExp(REPORTER_REF_PATTERN);

export function isReporterRef(value: unknown): value is string {
  return typeof value === 'string' && reporterRef.test(value);
}

/** A channel's registered name, e.g. `whatsapp`. Any name matching the pattern is valid. */
export type Channel = string;

export interface ChannelLabel {
  id: string;
  en: string;
}

/**
 * The channels known when this library was built, with what people call them. Only labels
 * live here: nothing may branch on membership, since an adapter newer than its consumers
 * publishes names missing from their copy.
 */
export const KNOWN_CHANNELS = {
  jaki: { id: 'JAKI', en: 'JAKI' },
  twitter: { id: 'X (Twitter)', en: 'X (Twitter)' },
  facebook: { id: 'Facebook', en: 'Facebook' },
  instagram: { id: 'Instagram', en: 'Instagram' },
  email: { id: 'Surel', en: 'E-mail' },
  whatsapp: { id: 'WhatsApp', en: 'WhatsApp' },
  sms: { id: 'SMS', en: 'SMS' },
  lapor: { id: 'LAPOR! 1708', en: 'LAPOR! 1708' },
  media: { id: 'Media massa', en: 'Mass media' },
  letter: { id: 'Surat', en: 'Letter' },
  walk_in: { id: 'Datang langsung', en: 'Walk-in' },
  phone: { id: 'Telepon', en: 'Phone call' },
  officer: { id: 'Petugas CRM', en: 'CRM officer' },
  telegram: { id: 'Telegram', en: 'Telegram' },
  messenger: { id: 'Messenger', en: 'Messenger' },
} as const satisfies Record<string, ChannelLabel>;
export type KnownChannel = keyof typeof KNOWN_CHANNELS;

export function isChannelName(value: unknown): value is Channel {
  return typeof value === 'string' && channelName.test(value);
}

/**
 * What to show for a channel: its registered label, or for a name this build does not know
 * the name itself made readable (`pigeon_post` → `Pigeon Post`), never an error.
 */
export function channelLabel(name: Channel, locale: 'id' | 'en' = 'id'): string {
  if (Object.prototype.hasOwnProperty.call(KNOWN_CHANNELS, name)) {
    return KNOWN_CHANNELS[name as KnownChannel][locale];
  }
  const words = name.split(/[_\s-]+/).filter(Boolean);
  if (!words.length) return name;
  return words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join(' ');
}

/** Both labels of a channel, for a view that lets its reader switch language. */
export function channelLabels(name: Channel): ChannelLabel {
  return { id: channelLabel(name, 'id'), en: channelLabel(name, 'en') };
}

export const LIFECYCLE_STATES = [
  'RECEIVED',
  'TRIAGE',
  'COORDINATION',
  'DISPOSITION',
  'IN_PROGRESS',
  'AWAITING_VALIDATION',
  'FOLLOW_UP_REJECTED',
  'COMPLETED',
  'REJECTED',
  'MERGED',
] as const;
export type LifecycleState = (typeof LIFECYCLE_STATES)[number];

/** The Indonesian labels Jakarta's CRM shows citizens; the public site uses these. */
export const STATE_LABELS: Record<LifecycleState, string> = {
  RECEIVED: 'Menunggu',
  TRIAGE: 'Menunggu',
  COORDINATION: 'Koordinasi',
  DISPOSITION: 'Disposisi',
  IN_PROGRESS: 'Proses',
  AWAITING_VALIDATION: 'Menunggu Validasi',
  FOLLOW_UP_REJECTED: 'TL Ditolak',
  COMPLETED: 'Selesai',
  REJECTED: 'Ditolak',
  MERGED: 'Digabung',
};

export const ROUTING_OUTCOMES = ['ROUTED', 'TRIAGE', 'REJECTED', 'DUPLICATE'] as const;
export type RoutingOutcome = (typeof ROUTING_OUTCOMES)[number];

export const ACTOR_KINDS = ['system', 'officer', 'citizen'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];
