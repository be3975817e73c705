import { isDatabaseStarting } from './transient';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('isDatabaseStarting', () => {
  it('waits for a server that is not listening, starting up or out of connections', () => {
    expect(isDatabaseStarting(withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'))).toBe(true);
    expect(isDatabaseStarting(withCode('the database system is starting up', '57P03'))).toBe(true);
    expect(isDatabaseStarting(withCode('sorry, too many clients already', '53300'))).toBe(true);
    expect(isDatabaseStarting(withCode('getaddrinfo EAI_AGAIN postgres', 'EAI_AGAIN'))).toBe(true);
    expect(isDatabaseStarting(new Error('Connection terminated unexpectedly'))).toBe(true);
  });

  it('looks through the message that names the server', () => {
    const wrapped = new Error('cannot reach PostgreSQL at db:5432 (…); start it or set DATABASE_URL', {
      cause: withCode('connect ECONNREFUSED', 'ECONNREFUSED'),
    });
    expect(isDatabaseStarting(wrapped)).toBe(true);
  });

  it('fails at once on what waiting cannot cure', () => {
    expect(isDatabaseStarting(withCode('password authentication failed for user "x"', '28P01'))).toBe(false);
    expect(isDatabaseStarting(withCode('permission denied to create database', '42501'))).toBe(false);
    expect(isDatabaseStarting(withCode('relation "x" already exists', '42P07'))).toBe(false);
    expect(
      isDatabaseStarting(new Error('database name "a-b" in DATABASE_URL must be letters, digits and _')),
    ).toBe(false);
  });
});
