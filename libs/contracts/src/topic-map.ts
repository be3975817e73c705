import { complaintFollowUpSchema } from './topics/complaint-followup';
import { complaintReceivedSchema } from './topics/complaint-received';
import { complaintRoutedSchema } from './topics/complaint-routed';
import { deliveryOutcomeSchema } from './topics/delivery-outcome';
import { notificationSchema } from './topics/notification';
import { reportLifecycleSchema } from './topics/report-lifecycle';
import { reportStateSchema } from './topics/report-state';
import { reporterErasedSchema } from './topics/reporter-erased';
import type {
  ComplaintFollowUp,
  ComplaintReceived,
  ComplaintRouted,
  DeliveryOutcome,
  Notification,
  ReportLifecycle,
  ReportState,
  ReporterErased,
} from './types';

/**
 * Topic name → payload type. `publish(topic, payload)` and consumer handlers are checked
 * against this map, so no service passes a bare topic string.
 */
export interface TopicMap {
  'aduan.complaint.received.v1': ComplaintReceived;
  'aduan.complaint.followup.v1': ComplaintFollowUp;
  'aduan.complaint.routed.v1': ComplaintRouted;
  'aduan.report.lifecycle.v1': ReportLifecycle;
  'aduan.report.state.v1': ReportState;
  'aduan.notification.v1': Notification;
  'aduan.delivery.outcome.v1': DeliveryOutcome;
  'aduan.reporter.erased.v1': ReporterErased;
}
export type TopicName = keyof TopicMap;

export interface TopicSpec<T> {
  /** The CloudEvents `type` of every event on the topic. */
  eventType: string;
  schema: object;
  /** Log-compacted topics keep only the newest record per key. */
  compacted: boolean;
  /** Every event of one report shares a partition, so its events stay in order. */
  key(payload: T): string;
  /** CloudEvents `subject`. */
  subject(payload: T): string;
}

export const TOPICS: { [T in TopicName]: TopicSpec<TopicMap[T]> } = {
  'aduan.complaint.received.v1': {
    eventType: 'id.aduan.complaint.received.v1',
    schema: complaintReceivedSchema,
    compacted: false,
    key: (p) => p.reportId,
    subject: (p) => p.reportId,
  },
  'aduan.complaint.followup.v1': {
    eventType: 'id.aduan.complaint.followup.v1',
    schema: complaintFollowUpSchema,
    compacted: false,
    key: (p) => p.reportId,
    subject: (p) => p.reportId,
  },
  'aduan.complaint.routed.v1': {
    eventType: 'id.aduan.complaint.routed.v1',
    schema: complaintRoutedSchema,
    compacted: false,
    key: (p) => p.reportId,
    subject: (p) => p.reportId,
  },
  'aduan.report.lifecycle.v1': {
    eventType: 'id.aduan.report.lifecycle.v1',
    schema: reportLifecycleSchema,
    compacted: false,
    key: (p) => p.reportId,
    subject: (p) => p.reportId,
  },
  'aduan.report.state.v1': {
    eventType: 'id.aduan.report.state.v1',
    schema: reportStateSchema,
    compacted: true,
    key: (p) => p.reportId,
    subject: (p) => p.reportId,
  },
  'aduan.notification.v1': {
    eventType: 'id.aduan.notification.v1',
    schema: notificationSchema,
    compacted: false,
    key: (p) => p.reportId,
    subject: (p) => p.notificationId,
  },
  'aduan.delivery.outcome.v1': {
    eventType: 'id.aduan.delivery.outcome.v1',
    schema: deliveryOutcomeSchema,
    compacted: false,
    key: (p) => p.reportId,
    subject: (p) => p.deliveryId,
  },
  'aduan.reporter.erased.v1': {
    eventType: 'id.aduan.reporter.erased.v1',
    schema: reporterErasedSchema,
    compacted: false,
    key: (p) => p.reportId,
    subject: (p) => p.reportId,
  },
};

export const TOPIC_NAMES = Object.keys(TOPICS) as TopicName[];

export function isTopicName(value: string): value is TopicName {
  return Object.prototype.hasOwnProperty.call(TOPICS, value);
}

/** Where a message that can never be handled goes, with the reason in its headers. */
export function deadLetterTopic(topic: TopicName): string {
  return `${topic}.dlq`;
}
