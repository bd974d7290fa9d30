/**
 * Errors from time code. `code` and `param` feed the API's problem+json body, so a bad `timezone`
 * or `interval` field comes back as a 422 naming the field and the accepted form.
 */
export type TimeErrorCode = "timezone_invalid" | "interval_invalid" | "date_invalid" | "out_of_range";

export class TimeError extends Error {
  readonly code: TimeErrorCode;
  readonly param?: string;

  constructor(code: TimeErrorCode, message: string, param?: string) {
    super(message);
    this.name = "TimeError";
    this.code = code;
    if (param !== undefined) this.param = param;
  }
}

/** Epoch milliseconds of a valid Date; an Invalid Date would otherwise poison every comparison (NaN). */
export function epochMs(at: Date, param: string): number {
  if (!(at instanceof Date)) throw new TimeError("date_invalid", `${param} must be a Date`, param);
  const ms = at.getTime();
  if (Number.isNaN(ms)) throw new TimeError("date_invalid", `${param} is an invalid date`, param);
  return ms;
}
