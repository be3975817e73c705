/** Where the service reads the time; tests pass their own to move it forward without sleeping. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
