import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { TOPICS, type TopicMap, type TopicName } from './topic-map';

export class ContractViolation extends Error {
  readonly code = 'CONTRACT_VIOLATION';
  constructor(
    readonly topic: string,
    readonly problems: string[],
  ) {
    super(`payload does not match ${topic}: ${problems.join('; ')}`);
    this.name = 'ContractViolation';
  }
}

export function describeAjvErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => {
    const where = e.instancePath ? e.instancePath.slice(1).replace(/\//g, '.') : '(root)';
    if (e.keyword === 'required')
      return `${where === '(root)' ? '' : `${where}.`}${String(e.params['missingProperty'])} is required`;
    if (e.keyword === 'enum')
      return `${where} must be one of ${(e.params['allowedValues'] as unknown[]).join(', ')}`;
    return `${where} ${e.message ?? 'is invalid'}`;
  });
}

/** One Ajv instance for every schema; unknown fields are allowed so that consumers tolerate additions. */
export function createAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv;
}

const ajv = createAjv();
const validators = new Map<TopicName, ValidateFunction>();

function validatorFor(topic: TopicName): ValidateFunction {
  let validate = validators.get(topic);
  if (!validate) {
    validate = ajv.compile(TOPICS[topic].schema);
    validators.set(topic, validate);
  }
  return validate;
}

export function validateEvent<T extends TopicName>(topic: T, payload: unknown): TopicMap[T] {
  const validate = validatorFor(topic);
  if (!validate(payload)) throw new ContractViolation(topic, describeAjvErrors(validate.errors));
  return payload as TopicMap[T];
}
