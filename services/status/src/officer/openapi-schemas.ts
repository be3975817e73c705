import { LIFECYCLE_STATES } from '@aduan/contracts';
import type { SchemaObject } from '@nestjs/swagger';
import { CONVERSATION } from '../conversation/conversation-schema';
import { ROLES } from '../lifecycle/state-machine';
import { TASK_ACTIONS, TASK_STATES } from '../lifecycle/task-rules';

/**
 * What the officer API answers, for its OpenAPI document: the console's types are generated from
 * it (docs/adr/0060-typed-console.md). Only descriptions: the answers are built in
 * report-views.ts, officers.ts and the controllers, and a console spec fails when the document
 * and the console's committed types part.
 */

const string = { type: 'string' } as const;
const nullableString = { type: 'string', nullable: true } as const;
const time = { type: 'string', format: 'date-time' } as const;
const integer = { type: 'integer' } as const;

function object(properties: Record<string, SchemaObject>, nullable = false): SchemaObject {
  return { type: 'object', required: Object.keys(properties), properties, nullable };
}

const list = (items: SchemaObject): SchemaObject => ({ type: 'array', items });
const state: SchemaObject = { type: 'string', enum: [...LIFECYCLE_STATES] };
const codeName = object({ kode: string, nama: string });
const area = object({ kelurahan: codeName, kecamatan: codeName, kota: codeName }, true);
const unitRef = object({ code: string, name: string }, true);
const channelLabel = object({ id: string, en: string }, true);
const person = object({ id: string, displayName: nullableString }, true);
const point = object({ lat: { type: 'number' }, lon: { type: 'number' } }, true);

export const UNIT: SchemaObject = object({
  code: string,
  name: string,
  kind: string,
  parent: nullableString,
});

export const USER: SchemaObject = object({
  id: string,
  username: string,
  displayName: string,
  role: { type: 'string', enum: [...ROLES] },
  unit: { ...UNIT, nullable: true },
  capacity: integer,
  disabled: { type: 'boolean' },
  mustChangePassword: { type: 'boolean' },
});

export const PASSWORD_RESET: SchemaObject = object({
  user: USER,
  oneTimePassword: string,
  validUntil: time,
});

export const SESSION: SchemaObject = object({
  accessToken: string,
  tokenType: { type: 'string', enum: ['Bearer'] },
  expiresAt: time,
  refreshToken: string,
  refreshExpiresAt: time,
  user: USER,
});

export const UNITS: SchemaObject = object({ items: list(UNIT) });
export const USERS: SchemaObject = object({ items: list(USER) });

const due = object(
  { stage: string, dueAt: time, overdue: { type: 'boolean' }, escalationLevel: integer },
  true,
);

/** A report in a list: the queue and the search answer the same rows. */
const LIST_ITEM: SchemaObject = object({
  id: string,
  trackingCode: string,
  state,
  label: string,
  channel: nullableString,
  channelLabel,
  category: nullableString,
  unit: unitRef,
  area,
  excerpt: nullableString,
  reporter: object({ pseudonym: nullableString }),
  assignee: person,
  receivedAt: { ...time, nullable: true },
  updatedAt: time,
  version: integer,
  due,
  evidenceFlags: integer,
});

export const QUEUE: SchemaObject = object({ items: list(LIST_ITEM), total: integer });

export const SEARCH: SchemaObject = object({
  items: list(LIST_ITEM),
  nextCursor: { ...nullableString, description: 'pass as `cursor` for the next page; null on the last' },
});

export const CATEGORIES: SchemaObject = object({ items: list(object({ name: string })) });

const attachment = object({ url: string, contentType: string });

export const EVIDENCE: SchemaObject = object({
  id: string,
  url: string,
  contentType: string,
  size: integer,
  sha256: string,
  uploadedAt: time,
  uploadedBy: string,
  usedInTransition: { type: 'boolean' },
  flags: list(
    object({
      code: { type: 'string', enum: ['REUSED_PHOTO', 'FAR_FROM_REPORT', 'TAKEN_BEFORE_REPORT'] },
      detail: string,
    }),
  ),
});

/** One unit's part of a report handed to several units at once (ADR 0073). */
const TASK: SchemaObject = object({
  id: string,
  round: integer,
  unit: object({ code: string, name: string }),
  state: { type: 'string', enum: [...TASK_STATES] },
  label: string,
  version: { ...integer, description: "the part's own version: send it with the part's actions" },
  assignee: person,
  createdAt: time,
  startedAt: { ...time, nullable: true },
  doneAt: { ...time, nullable: true },
  dueAt: { ...time, nullable: true },
  overdue: { type: 'boolean' },
  note: { ...nullableString, description: 'what the unit did, shown to the citizen once every part is done' },
  evidence: list(string),
  allowedActions: list({ type: 'string', enum: [...TASK_ACTIONS] }),
});

export const REPORT: SchemaObject = object({
  id: string,
  trackingCode: string,
  state,
  label: string,
  version: integer,
  channel: nullableString,
  channelLabel,
  category: nullableString,
  unit: unitRef,
  area,
  text: nullableString,
  subject: nullableString,
  location: point,
  attachments: list(attachment),
  receivedAt: { ...time, nullable: true },
  updatedAt: time,
  mergedInto: object({ id: string, trackingCode: string }, true),
  followers: integer,
  reporter: object({ pseudonym: nullableString, channel: nullableString }),
  assignee: person,
  routing: object(
    {
      outcome: nullableString,
      reasons: list(object({ code: string })),
      candidates: list(
        object({
          opd: nullableString,
          category: nullableString,
          kelurahanKode: nullableString,
          score: { type: 'number' },
        }),
      ),
    },
    true,
  ),
  timeline: list(
    object({
      sequence: integer,
      from: { ...state, nullable: true },
      to: state,
      label: string,
      at: time,
      actor: object({ kind: string, id: nullableString, unit: nullableString, displayName: nullableString }),
      publicNote: nullableString,
      internalNote: nullableString,
      unit: unitRef,
      evidence: list(string),
    }),
  ),
  notes: list(object({ id: string, at: time, author: person, text: string })),
  followUps: list(
    object({
      id: string,
      channel: string,
      kind: string,
      at: time,
      receivedAt: time,
      text: string,
      attachments: list(object({ url: string, contentType: string, name: nullableString })),
      location: point,
    }),
  ),
  conversation: CONVERSATION,
  deliveries: list(
    object({
      kind: string,
      channel: string,
      status: { type: 'string', enum: ['sent', 'delivered', 'read', 'failed'] },
      reason: nullableString,
      at: time,
    }),
  ),
  evidence: list(EVIDENCE),
  sla: list(
    object({
      stage: string,
      startedAt: time,
      dueAt: time,
      metAt: { ...time, nullable: true },
      overdue: { type: 'boolean' },
      escalations: list(object({ level: integer, to: string, at: time })),
    }),
  ),
  allowedActions: list(string),
  tasks: list(TASK),
});

export const NOTE: SchemaObject = object({
  id: string,
  at: time,
  author: object({ id: string }),
  text: string,
});

export const NOTIFICATIONS: SchemaObject = object({
  items: list(
    object({ id: string, at: time, kind: string, reportId: string, trackingCode: string, message: string }),
  ),
});

export const REVEAL_REQUESTED: SchemaObject = object({
  status: { type: 'string', enum: ['awaiting-approval'] },
  requestId: string,
});

export const CONTACT: SchemaObject = {
  type: 'object',
  required: ['channel', 'anonymous'],
  properties: {
    channel: string,
    anonymous: { type: 'boolean' },
    name: string,
    phone: string,
    email: string,
    handle: string,
  },
};

export const APPROVED: SchemaObject = object({ status: { type: 'string', enum: ['approved'] } });

/** One report of a bulk action: done (with its new version) or refused, and why. */
export const BULK: SchemaObject = object({
  results: list(
    object({
      id: string,
      ok: { type: 'boolean' },
      status: integer,
      trackingCode: nullableString,
      version: { ...integer, nullable: true, description: 'the version after the action, when it was done' },
      code: { ...nullableString, description: 'the error code, when refused' },
      message: nullableString,
    }),
  ),
});

/** A saved view's filters, every one present: an empty string is "any"; an empty state is "every state". */
export const SAVED_VIEW_FILTERS: SchemaObject = object({
  q: string,
  state: string,
  unit: string,
  category: string,
  channel: string,
  from: { ...string, description: 'YYYY-MM-DD (a Jakarta day) or empty' },
  to: { ...string, description: 'YYYY-MM-DD (a Jakarta day) or empty' },
  overdue: { type: 'string', enum: ['', 'true', 'false'] },
  mine: { type: 'boolean', description: "only the officer's own reports" },
});

export const SAVED_VIEW: SchemaObject = object({
  id: string,
  name: string,
  filters: SAVED_VIEW_FILTERS,
  createdAt: time,
});

export const SAVED_VIEW_LIST: SchemaObject = object({ items: list(SAVED_VIEW) });
