// The router's rules admin API answers, as types only: the router builds them and the officer
// console reads them (its tsconfig maps `@aduan/routing/admin-api` here; nothing of it is bundled).
import type { RoutingOutcome } from './types';

export interface UnitRef {
  code: string;
  name: string;
}

/** One recent complaint as it was routed and as a draft rule set would route it (ADR 0075). */
export interface PreviewItem {
  trackingCode: string;
  receivedAt: string;
  channel: string;
  category: string | null;
  kelurahan: { kode: string; nama: string } | null;
  before: { outcome: RoutingOutcome; unit: UnitRef | null; rule: string | null; version: number | null };
  after: { outcome: RoutingOutcome; unit: UnitRef | null; rule: string | null };
  changed: boolean;
}

export interface Preview {
  /** The version in force when the preview was made: publish the draft with it as `basedOn`. */
  basedOn: number;
  considered: number;
  changed: number;
  items: PreviewItem[];
}
