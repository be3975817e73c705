import { defineConfig } from '@aduan/platform';

/**
 * Rate limits of the status service (ADR 0056), counted in PostgreSQL so every instance shares
 * them. Behind the web proxy, STATUS_TRUSTED_PROXIES must name it, or every citizen is one IP.
 */
export const statusLimitSettings = defineConfig({
  PUBLIC_LOOKUPS_PER_MINUTE: {
    kind: 'int',
    description:
      'Public tracking lookups (page and live updates) per client IP per minute; more get 429 with Retry-After. Generous because mobile carriers put many citizens behind one address. 0: no limit',
    default: '600',
    min: 0,
  },
  SIGN_IN_ATTEMPTS_PER_IP: {
    kind: 'int',
    description:
      'Officer sign-in attempts per client IP per 15 minutes; more get 429. A whole CRM office signs in from one address at a change of shift, so it is generous: password guessing meets the per-account lockout first. 0: no limit',
    default: '300',
    min: 0,
  },
  SIGN_IN_MAX_FAILURES: {
    kind: 'int',
    description:
      'Wrong passwords for one username before it is locked (429 with Retry-After) until SIGN_IN_LOCKOUT_MINUTES have passed. 0: no lockout',
    default: '5',
    min: 0,
  },
  SIGN_IN_LOCKOUT_MINUTES: {
    kind: 'int',
    description: 'How long wrong passwords are counted, and so the longest lockout',
    default: '15',
    min: 1,
  },
});
