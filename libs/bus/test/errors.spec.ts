import { ContractViolation } from '@aduan/contracts';
import { DatabaseError } from 'pg-protocol';
import { QueryFailedError } from 'typeorm';
import { classifyFailure, PermanentError } from '../src/errors';

/** What the pg driver throws for a server's refusal: a DatabaseError carrying the SQLSTATE. */
function pgError(code: string, message: string): DatabaseError {
  const err = new DatabaseError(message, message.length, 'error');
  err.code = code;
  err.severity = 'ERROR';
  return err;
}

describe('classifyFailure', () => {
  it.each([
    ['22021', 'invalid byte sequence for encoding "UTF8": 0x00'],
    ['22001', 'value too long for type character varying(320)'],
    ['23502', 'null value in column "text" violates not-null constraint'],
    ['23514', 'new row violates check constraint'],
  ])('a PostgreSQL %s refusal of the bytes themselves is permanent', (code, message) => {
    expect(classifyFailure(pgError(code, message))).toEqual({
      kind: 'permanent',
      code: `PG_${code}`,
      message,
    });
  });

  it.each([
    ['57P01', 'terminating connection due to administrator command'],
    ['40001', 'could not serialize access'],
    ['40P01', 'deadlock detected'],
    ['23505', 'duplicate key value violates unique constraint'],
    ['53300', 'too many connections'],
  ])('a PostgreSQL %s refusal passes with time and is transient', (code, message) => {
    expect(classifyFailure(pgError(code, message))).toMatchObject({ kind: 'transient', code: `PG_${code}` });
  });

  it('looks through TypeORM to the driver error', () => {
    const err = new QueryFailedError('INSERT …', [], pgError('22P05', 'unsupported Unicode escape sequence'));
    expect(classifyFailure(err)).toMatchObject({ kind: 'permanent', code: 'PG_22P05' });
  });

  it('names a network failure by its code and retries it', () => {
    const err = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(classifyFailure(err)).toMatchObject({ kind: 'transient', code: 'ECONNREFUSED' });
  });

  it('keeps an unknown failure transient (held, never dropped) and a contract or stated refusal permanent', () => {
    expect(classifyFailure(new Error('provider answered 503'))).toMatchObject({
      kind: 'transient',
      code: 'HANDLER_FAILED',
    });
    expect(classifyFailure(new PermanentError('OUTBOUND_REFUSED', 'number unknown'))).toMatchObject({
      kind: 'permanent',
      code: 'OUTBOUND_REFUSED',
    });
    expect(
      classifyFailure(new ContractViolation('aduan.complaint.received.v1', ['text is empty'])),
    ).toMatchObject({
      kind: 'permanent',
      code: 'CONTRACT_VIOLATION',
    });
  });

  it('does not mistake a handler error with a five-letter code for a database refusal', () => {
    expect(classifyFailure(Object.assign(new Error('x'), { code: '22021' }))).toMatchObject({
      kind: 'transient',
    });
  });
});
