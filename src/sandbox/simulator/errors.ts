/**
 * An error the simulator answers, shaped like Alibaba's: `{RequestId, HostId, Code, Message, Recommend}`.
 */
export class SimError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'SimError';
  }
}

export const missing = (param: string) =>
  new SimError(`Missing${param}`, 400, `${param} is mandatory for this action.`);
export const invalid = (param: string, why = `The specified ${param} is not valid.`) =>
  new SimError(`Invalid${param}`, 400, why);
