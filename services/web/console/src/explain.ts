import type { LifecycleState } from '@aduan/contracts/vocabulary';
import { ApiError } from './api/client';
import { actionTitle } from './actions-list';
import { stateLabel, t } from './i18n';

/** Every refusal of the API in words an officer can act on. */
export function explain(err: unknown, fallbackState?: LifecycleState): string {
  if (!(err instanceof ApiError)) return t('error.generic', { status: '?' });
  const body = err.body;
  switch (err.code ?? '') {
    case 'INVALID_CREDENTIALS':
      return t('signin.failed');
    case 'UNAUTHENTICATED':
      return t('error.unauthenticated');
    case 'ACCOUNT_DISABLED':
      return t('error.accountDisabled');
    case 'PASSWORD_EXPIRED':
      return t('error.passwordExpired');
    case 'FORBIDDEN':
      return t('error.forbidden');
    case 'STALE_VERSION':
      return t('error.stale');
    case 'ILLEGAL_TRANSITION': {
      const state = (body.state as LifecycleState | undefined) ?? fallbackState;
      const first = t('error.illegal', { label: state ? stateLabel(state) : '–' });
      const allowed = (body.allowedActions ?? []).map(actionTitle).filter(Boolean);
      return allowed.length
        ? `${first} ${t('error.illegalAllowed', { actions: allowed.join(', ') })}`
        : first;
    }
    case 'NOT_APPROVED':
      return t('error.notApproved');
    case 'CAPACITY_EXCEEDED':
      return t('error.capacity');
    case 'NOT_AN_IMAGE':
      return t('error.notImage');
    case 'PAYLOAD_TOO_LARGE':
      return t('error.tooLarge');
    case 'FILE_REQUIRED':
      return t('error.fileRequired');
    case 'EVIDENCE_REQUIRED':
      return t('error.evidenceRequired');
    case 'UNKNOWN_UNIT':
      return t('error.unknownUnit');
    case 'NOT_FOUND':
      return t('error.notFound');
    case 'VERSION_REQUIRED':
      return t('error.versionRequired');
    case 'VALIDATION_FAILED':
      return t('error.validation', { problems: (body.problems ?? [body.message ?? '']).flat().join('; ') });
    default:
      if (err.status === 401) return t('error.unauthenticated');
      if (err.status === 403) return t('error.forbidden');
      if (err.status === 413) return t('error.tooLarge');
      if (err.status === 0 || err.status === 502 || err.status === 504) return t('error.unreachable');
      if (err.status === 400 && body.message)
        return t('error.validation', { problems: [body.message].flat().join('; ') });
      return t('error.generic', { status: err.status });
  }
}
