import type { SchemaObject } from '@nestjs/swagger';

/** The conversation with the citizen as the officer API answers it (ADR 0074), for its OpenAPI document. */

const string = { type: 'string' } as const;
const nullableString = { type: 'string', nullable: true } as const;
const time = { type: 'string', format: 'date-time' } as const;

function object(properties: Record<string, SchemaObject>, nullable = false): SchemaObject {
  return { type: 'object', required: Object.keys(properties), properties, nullable };
}

export const CONVERSATION_ENTRY: SchemaObject = object({
  id: string,
  kind: { type: 'string', enum: ['question', 'message'] },
  at: time,
  author: object({ id: string, displayName: nullableString }),
  text: string,
  delivery: object(
    {
      status: { type: 'string', enum: ['sent', 'delivered', 'read', 'failed'] },
      reason: nullableString,
      at: time,
    },
    true,
  ),
  answer: object({ followUpId: string, at: time, text: string }, true),
});

export const CONVERSATION: SchemaObject = object({
  waitingForCitizen: object({ questionId: string, since: time }, true),
  entries: { type: 'array', items: CONVERSATION_ENTRY },
});

export const MESSAGE_SENT: SchemaObject = object({
  message: CONVERSATION_ENTRY,
  conversation: CONVERSATION,
});
