import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Category, Unit, User } from './api/client';

export type FlashKind = 'success' | 'error';

/** What every part of the signed-in console shares. */
export interface ConsoleContext {
  user: User;
  units: Unit[];
  /** The categories of GET /categories, for the search filter and re-categorising; empty until loaded. */
  categories: Category[];
  /** Accounts an admin may assign reports to; empty for everyone else. */
  officers: User[];
  flash(kind: FlashKind, text: string): void;
  /** Shows a refusal in plain words; a 401 ends the session here and shows the sign-in form. */
  failed(err: unknown): void;
  reloadQueue(): void;
}

export const Console = createContext<ConsoleContext | null>(null);

export function useConsole(): ConsoleContext {
  const value = useContext(Console);
  if (!value) throw new Error('outside the signed-in console');
  return value;
}
