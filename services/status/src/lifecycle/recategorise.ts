import { redactText } from '@aduan/platform';
import { ApiError } from '../officer/api-error';
import type { Locked } from './lifecycle-service';
import { OPEN_STATES, statesReachableFrom, type Role } from './state-machine';

export interface RecategoriseInput {
  version: number;
  actionId?: string;
  /** A name of GET /v1/officer/categories; the controller has checked it. */
  category: string;
  reason: string;
}

/**
 * Who files a report under another category: whoever may hand it on (coordinate). Validators
 * judge follow-ups, not what a report is about.
 */
const ROLES: readonly Role[] = ['admin', 'crm_officer', 'unit_officer'];

export function mayRecategorise(role: Role): boolean {
  return ROLES.includes(role);
}

/** Whether the detail offers the action: any open report, to the roles above. */
export function recategoriseAllowed(state: Locked['state'], role: Role): boolean {
  return mayRecategorise(role) && OPEN_STATES.includes(state);
}

/**
 * The history entry of a category change, or the refusal: a closed report keeps the category it
 * was closed under, a report the router has not decided yet would have the router's answer
 * overwrite the officer's, and the same category again changes nothing.
 */
export function categoryChange(
  report: Locked,
  input: RecategoriseInput,
): { publicNote: string; internalNote: string } {
  if (!OPEN_STATES.includes(report.state))
    throw new ApiError(409, 'ILLEGAL_TRANSITION', `cannot recategorise a report in state ${report.state}`, {
      state: report.state,
      allowedActions: [],
      allowedStates: statesReachableFrom(report.state),
    });
  if (!report.routed)
    throw new ApiError(
      409,
      'ILLEGAL_TRANSITION',
      'the router has not decided this report yet; change its category once it has',
      { state: report.state, allowedActions: [], allowedStates: [] },
    );
  if (report.category === input.category)
    throw new ApiError(
      400,
      'VALIDATION_FAILED',
      `category: the report is already filed under ${input.category}`,
      {
        problems: ['category'],
      },
    );
  return {
    publicNote: report.category
      ? `Kategori laporan diubah dari ${report.category} menjadi ${input.category}.`
      : `Kategori laporan ditetapkan: ${input.category}.`,
    // The reason is the officer's, for officers: it may name people or internal matters.
    internalNote: `Kategori diubah: ${redactText(input.reason)}`,
  };
}
