/** Why the media store would not keep a file. */
export type MediaProblem =
  'empty' | 'too-large' | 'unknown-type' | 'type-not-allowed' | 'too-many-pixels' | 'undecodable';

/** The HTTP answer an ingress gives for each problem, so every adapter refuses alike. */
const STATUS: Record<MediaProblem, number> = {
  empty: 400,
  'too-large': 413,
  'unknown-type': 415,
  'type-not-allowed': 415,
  'too-many-pixels': 422,
  undecodable: 422,
};

/**
 * A file the store refuses, with the reason in words a citizen or an officer can act on.
 * Retrying cannot change the answer: an adapter drops the file with a note on the report, or
 * answers its sender with `status`; it never retries the message for it.
 */
export class MediaRefused extends Error {
  readonly status: number;

  constructor(
    readonly problem: MediaProblem,
    message: string,
  ) {
    super(message);
    this.name = 'MediaRefused';
    this.status = STATUS[problem];
  }
}
