import type { Summary } from './stats';

/** One load phase: a fixed offered rate (open loop) or a fixed number of busy clients (closed loop). */
export interface PhaseResult {
  name: string;
  mode: 'open' | 'closed';
  /** Complaints per second offered (open loop); null for closed loop. */
  offeredPerSecond: number | null;
  /** Clients each sending its next complaint once the last was answered (closed loop). */
  clients: number | null;
  durationSeconds: number;
  sent: number;
  accepted: number;
  /** Answers other than acceptance, by HTTP status ("0" is no answer at all). */
  refused: Record<string, number>;
  acceptedPerSecond: number;
  /** Routed events of this phase's complaints per second, from the phase's start to its last one. */
  routedPerSecond: number;
  /** Reports the status store took (routing recorded) per second while the phase ran. */
  storedPerSecond: number;
  /** Milliseconds: HTTP request to its answer. */
  intake: Summary;
  /** Milliseconds: HTTP request to the routed event read from Kafka. */
  routed: Summary;
  /** Milliseconds: HTTP request to the public API showing the report routed (sampled). */
  visible: Summary;
  /** CPU used while the phase ran, in cores (1.0 = one core busy), per service and for the load generator. */
  cpuCores: Record<string, number>;
}

export interface Ceiling {
  kafkaVersion: string;
  recordBytes: number;
  /** Apache Kafka's ProducerPerformance, acks=all, idempotent, records/s. */
  producerPerSecond: number;
  producerP99Ms: number;
  /** Apache Kafka's ConsumerPerformance over the records the producer wrote, records/s. */
  consumerPerSecond: number;
  /** kafkajs configured as libs/bus configures it, one record per send(), records/s. */
  kafkajsSinglePerSecond: number;
  /** The same, `kafkajsBatch` records per send(). */
  kafkajsBatchedPerSecond: number;
  kafkajsBatch: number;
  /** Multi-row INSERTs of event-sized rows in one transaction per batch, rows/s. */
  postgresBatchedRowsPerSecond: number;
  postgresBatch: number;
  /** One INSERT per row, each its own transaction, rows/s. */
  postgresSingleRowsPerSecond: number;
}

export interface ProcessResult {
  peakRssMb: number;
  cpuSeconds: number;
}

export interface Drain {
  accepted: number;
  /** Accepted (202 / 200) but never written to aduan.complaint.received.v1: a broken promise. */
  missingFromKafka: number;
  notRouted: number;
  notStored: number;
  /** Every accepted complaint routed and stored before the drain's deadline. */
  complete: boolean;
  seconds: number;
}

export interface Machine {
  cores: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  kernel: string;
  /** One-minute load average when the run started and when it ended: how busy the box was besides. */
  loadAverage: { before: number; after: number };
}

export interface BenchRun {
  mode: 'quick' | 'full';
  startedAt: string;
  finishedAt: string;
  commit: string;
  /** Uncommitted changes in the tree the services ran from. */
  dirty: boolean;
  machine: Machine;
  /** Other work on the same machine while the bench ran (noted by whoever ran it). */
  sharedMachine: string | null;
  services: string[];
  /** How the services ran: compiled by `npm run build` (as the image runs them), or from TypeScript. */
  entry?: 'built' | 'source';
  /** Options node ran every service with (the image's heap bounds when built, and any given by --node). */
  nodeOptions?: string;
  /** Share of complaints sent through the WhatsApp Cloud webhook; the rest through JAKI. */
  whatsappShare: number;
  phases: PhaseResult[];
  ceiling: Ceiling;
  drain: Drain;
  processes: Record<string, ProcessResult>;
  /** Cores busy with the stack up and nothing sent: what polling and timers cost before any load. */
  atRestCpuCores?: Record<string, number>;
}
