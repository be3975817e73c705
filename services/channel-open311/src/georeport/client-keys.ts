import { AppKeys } from '@aduan/channel-sdk';

/** Why a request's key was not accepted: none configured (503) or none / a wrong one given (401). */
export class KeyRefused extends Error {
  constructor(
    readonly status: 401 | 503,
    message: string,
  ) {
    super(message);
  }
}

/** The Open311 client apps and their keys, from OPEN311_API_KEYS (see AppKeys). */
export class ClientKeys {
  private readonly keys: AppKeys;

  constructor(list: readonly string[] | undefined) {
    this.keys = new AppKeys(list);
  }

  /** The client app that `presented` belongs to. */
  clientOf(presented: string | undefined): string {
    if (!this.keys.configured)
      throw new KeyRefused(503, 'posting requests is disabled: the operator has not set OPEN311_API_KEYS');
    if (!presented) throw new KeyRefused(401, 'api_key is required to post a request');
    const client = this.keys.clientOf(presented);
    if (!client) throw new KeyRefused(401, 'api_key is not valid');
    return client;
  }
}
