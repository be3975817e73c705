import type { TransitionAction } from './api/client';
import { t, type Key } from './i18n';

/**
 * What the console calls each action the API lists in `allowedActions`. The lifecycle actions'
 * names are typed from the OpenAPI document: one the API drops or renames fails the type check.
 */
export type ConsoleAction =
  TransitionAction | 'claim' | 'assign' | 'note' | 'evidence' | 'contact' | 'recategorise';

const TITLES: Record<ConsoleAction, Key> = {
  route: 'action.route',
  coordinate: 'action.coordinate',
  dispose: 'action.dispose',
  start: 'action.start',
  evidence: 'action.evidence',
  'follow-up': 'action.followUp',
  validate: 'action.validate',
  reject: 'action.reject',
  merge: 'action.merge',
  reopen: 'action.reopen',
  claim: 'action.claim',
  assign: 'action.assign',
  note: 'action.note',
  contact: 'action.contact',
  recategorise: 'action.recategorise',
};

export function actionTitle(name: string): string {
  const key = (TITLES as Record<string, Key | undefined>)[name];
  return key ? t(key) : '';
}
