/**
 * The words every service shares. Kept as const tuples so that JSON Schemas (enums) and
 * TypeScript unions are generated from one list and cannot drift apart.
 */

export const CHANNELS = [
  'jaki',
  'twitter',
  'facebook',
  'instagram',
  'email',
  'whatsapp',
  'sms',
  'lapor',
  'media',
  'letter',
  'walk_in',
  'phone',
  'officer',
] as const;
export type Channel = (typeof CHANNELS)[number];

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
