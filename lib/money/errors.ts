/**
 * The one error type money code throws. `code` and `param` map one-to-one onto the API's
 * `application/problem+json` body (`code`, `param`), so a route handler can turn a MoneyError
 * into a 422 without guessing what went wrong or which field it was.
 */
export type MoneyErrorCode = "currency_unsupported" | "amount_invalid" | "out_of_range";

export class MoneyError extends Error {
  readonly code: MoneyErrorCode;
  readonly param?: string;

  constructor(code: MoneyErrorCode, message: string, param?: string) {
    super(message);
    this.name = "MoneyError";
    this.code = code;
    // Left absent (not `undefined`) when unknown so the problem body omits the field.
    if (param !== undefined) this.param = param;
  }
}
