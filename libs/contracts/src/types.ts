import type { ActorKind, Channel, LifecycleState, RoutingOutcome } from './vocabulary';

export interface CodeName {
  kode: string;
  nama: string;
}

export interface Area {
  kelurahan: CodeName;
  kecamatan: CodeName;
  kota: CodeName;
}

export interface Unit {
  code: string;
  name: string;
}

export interface GeoPoint {
  lat: number;
  lon: number;
  /** Metres, as reported by the device. */
  accuracy?: number;
  address?: string;
}

/**
 * The reporter as the bus carries them (ADR 0058): a pseudonymous reference, whether they asked
 * to stay anonymous and whether their adapter can answer them. Their contact stays sealed in the
 * adapter's store. The contact fields are deprecated: events of producers before the reference
 * carry them, and consumers still accept them; no adapter sends them any more.
 */
export interface Reporter {
  ref?: string;
  answers?: boolean;
  anonymous: boolean;
  /** @deprecated personal data on the bus; events before ADR 0058 only. */
  name?: string;
  /** @deprecated personal data on the bus; events before ADR 0058 only. */
  handle?: string;
  /** @deprecated personal data on the bus; events before ADR 0058 only. */
  email?: string;
  /** @deprecated personal data on the bus; events before ADR 0058 only. */
  phone?: string;
  /**
   * @deprecated events before ADR 0058 only: where the adapter answered this reporter (null: it
   * did not; absent: the first of handle, phone and email).
   */
  replyTo?: string | null;
}

/**
 * Personal data: who a reporter is and where their adapter answers them, as the adapter takes it
 * in. It never leaves the adapter: `ComplaintIntake` seals it in the channel store and publishes
 * the reference in its place.
 */
export interface ReporterContact {
  name?: string;
  handle?: string;
  email?: string;
  phone?: string;
  anonymous: boolean;
  /**
   * Where the adapter answers this reporter, in the channel's own terms (a phone number, an
   * address, an account or thread id); null when it does not answer (a media item). Absent: the
   * first of handle, phone and email.
   */
  replyTo?: string | null;
}

export interface Attachment {
  url: string;
  contentType: string;
  size?: number;
  name?: string;
}

export interface ComplaintSource {
  /** The message id on the channel (tweet id, IMAP Message-ID, wamid…). */
  id: string;
  url?: string;
  /** What a reply must thread onto (conversation id, Message-ID, comment id). */
  thread?: string;
  receivedAt: string;
}

export interface ComplaintReceived {
  reportId: string;
  trackingCode: string;
  channel: Channel;
  source: ComplaintSource;
  reporter: Reporter;
  text: string;
  /**
   * The public description (ADR 0037), derived by the adapter, which alone knows the names to
   * mask (ADR 0058); absent for a private report, when nothing public is left, or from older
   * producers (the status service then derives it from the deprecated contact fields).
   */
  publicText?: string;
  subject?: string;
  /** The category the citizen picked, when the channel lets them. */
  category?: string;
  location?: GeoPoint;
  attachments: Attachment[];
  /** Private reports are never shown on public lists. */
  visibility: 'public' | 'private';
  /** Confidential reports (LAPOR! rahasia) are shown on no public surface at all. */
  confidential?: boolean;
  receivedAt: string;
}

/**
 * More from the citizen about an existing report. `followUpId` is derived from channel + source
 * message id, so a message read twice is the same follow-up. No reporter: the report has one.
 */
export interface ComplaintFollowUp {
  followUpId: string;
  reportId: string;
  trackingCode: string;
  channel: Channel;
  source: Omit<ComplaintSource, 'url'>;
  /** May carry personal data the citizen wrote; never shown on a public timeline. */
  text: string;
  /** A place shared in the follow-up (WhatsApp location message). */
  location?: GeoPoint;
  attachments: Attachment[];
  /** When the adapter took it in (`source.receivedAt` is the message's own time). */
  receivedAt: string;
  /** Absent: `message`. An edit or a deletion of what the citizen wrote (Meta channels). */
  kind?: FollowUpKind;
}

export type FollowUpKind = 'message' | 'edit' | 'deletion';

export interface RoutingReason {
  code: string;
  detail?: string;
}

export interface RoutingCandidate {
  category?: string;
  opd?: string;
  kelurahanKode?: string;
  score: number;
}

export interface ComplaintRouted {
  reportId: string;
  trackingCode: string;
  outcome: RoutingOutcome;
  category: string | null;
  categoryConfidence: number;
  area: Area | null;
  placeConfidence: number;
  unit: Unit | null;
  /** The OPD accountable for the category (its primary unit), whichever office of it acts. */
  opd?: string | null;
  duplicateOf: string | null;
  reasons: RoutingReason[];
  candidates: RoutingCandidate[];
  rule: { id: string; version: number } | null;
  routedAt: string;
}

export interface Actor {
  kind: ActorKind;
  /** Officer id or service name; never a citizen's contact data. */
  id?: string;
  unit?: string;
}

export interface Evidence {
  url: string;
  contentType: string;
  sha256?: string;
}

export interface ReportLifecycle {
  reportId: string;
  trackingCode: string;
  sequence: number;
  from: LifecycleState | null;
  to: LifecycleState;
  at: string;
  actor: Actor;
  publicNote?: string;
  unit?: Unit | null;
  /**
   * The units working parts of the report in parallel, on a transition those parts caused: the
   * hand-over to them, the first one starting, the last one done. Absent on every other one.
   */
  units?: Unit[];
  evidence: Evidence[];
}

export interface ReportState {
  reportId: string;
  trackingCode: string;
  state: LifecycleState;
  label: string;
  category: string | null;
  unit: Unit | null;
  area: Area | null;
  mergedInto: string | null;
  updatedAt: string;
  version: number;
}

export interface Notification {
  notificationId: string;
  reportId: string;
  trackingCode: string;
  channel: Channel;
  /**
   * Where the origin adapter delivers it; personal data, internal topic only. Optional: an
   * adapter answers from its own record of the reporter, so the status service need not choose
   * an address per channel (ADR 0015). Still named while adapters read it.
   */
  recipient?: { address: string; thread?: string; name?: string };
  locale: 'id' | 'en';
  state: LifecycleState;
  message: string;
  /** An officer's question (ADR 0074): the citizen's next message on the channel is its answer. */
  expectsAnswer?: boolean;
}

/** What became of one message to a citizen; see topics/delivery-outcome.ts. */
/**
 * A reporter was erased (a data subject's request, ADR 0055): the adapter that owns the report's
 * channel deletes what it keeps of them. `ref` is absent for a report received before ADR 0058.
 */
export interface ReporterErased {
  reportId: string;
  channel: Channel;
  ref?: string;
  erasedAt: string;
}

export interface DeliveryOutcome {
  deliveryId: string;
  reportId: string;
  channel: Channel;
  kind: 'acknowledgement' | 'reply' | 'notification';
  status: 'sent' | 'delivered' | 'read' | 'failed';
  reason?: string;
  at: string;
}
