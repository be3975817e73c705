/**
 * JSON Schemas of the two Strimzi custom resources Aduan renders, written from the fields that
 * Strimzi's KafkaTopic and KafkaUser CRDs (kafka.strimzi.io v1beta2 / v1) document. No npm
 * package ships Strimzi's schemas, so these are kept small and stricter than the CRDs: an
 * unknown field is an error here (the API server would drop it silently), and a topic config
 * value must be a string or a number.
 */
const metadata = {
  type: 'object',
  required: ['name', 'labels'],
  properties: {
    name: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$', maxLength: 253 },
    namespace: { type: 'string' },
    labels: {
      type: 'object',
      // The Topic and User Operators only reconcile resources labelled with their cluster.
      required: ['strimzi.io/cluster'],
      properties: { 'strimzi.io/cluster': { type: 'string', minLength: 1 } },
      additionalProperties: { type: 'string' },
    },
  },
};

const apiVersion = { enum: ['kafka.strimzi.io/v1beta2', 'kafka.strimzi.io/v1'] };

export const kafkaTopicSchema = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  additionalProperties: false,
  properties: {
    apiVersion,
    kind: { const: 'KafkaTopic' },
    metadata,
    spec: {
      type: 'object',
      additionalProperties: false,
      properties: {
        partitions: { type: 'integer', minimum: 1 },
        replicas: { type: 'integer', minimum: 1, maximum: 32767 },
        topicName: { type: 'string' },
        config: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } },
      },
    },
  },
};

const OPERATIONS = [
  'Read',
  'Write',
  'Create',
  'Delete',
  'Alter',
  'Describe',
  'ClusterAction',
  'AlterConfigs',
  'DescribeConfigs',
  'IdempotentWrite',
  'All',
];

export const kafkaUserSchema = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  additionalProperties: false,
  properties: {
    apiVersion,
    kind: { const: 'KafkaUser' },
    metadata,
    spec: {
      type: 'object',
      additionalProperties: false,
      properties: {
        authentication: {
          type: 'object',
          required: ['type'],
          additionalProperties: false,
          properties: { type: { enum: ['tls', 'tls-external', 'scram-sha-512'] } },
        },
        authorization: {
          type: 'object',
          required: ['type', 'acls'],
          additionalProperties: false,
          properties: {
            type: { const: 'simple' },
            acls: {
              type: 'array',
              items: {
                type: 'object',
                required: ['resource', 'operations'],
                additionalProperties: false,
                properties: {
                  type: { enum: ['allow', 'deny'] },
                  host: { type: 'string' },
                  resource: {
                    type: 'object',
                    required: ['type'],
                    additionalProperties: false,
                    properties: {
                      type: { enum: ['topic', 'group', 'cluster', 'transactionalId'] },
                      name: { type: 'string' },
                      patternType: { enum: ['literal', 'prefix'] },
                    },
                  },
                  operations: { type: 'array', minItems: 1, items: { enum: OPERATIONS } },
                },
              },
            },
          },
        },
      },
    },
  },
};
