// Money: integer minor units + ISO 4217 currency. See docs/decisions/001-money.md.
export { MoneyError, type MoneyErrorCode } from "./errors";
export { currencyExponent, normalizeCurrency, isSupportedCurrency, supportedCurrencies } from "./currency";
export { isSafeMinor, sumMinor, toSafeNumber } from "./minor-units";
export { assertMinorUnits } from "./assert";
export { EXACT_SCALE, multiplyDecimal, parseExactMinor, parseMajor, roundExactMinor, toMajorString } from "./decimal";
export { divRoundHalfAwayFromZero, mulDiv } from "./rounding";
export { parseRate, applyRate, exclusiveTax, inclusiveTaxPortion, type Rate } from "./rate";
export { allocate, allocateEvenly, MAX_EVEN_PARTS } from "./allocate";
export { addDecimal, divideDecimals, formatDecimal, multiplyDecimals, parseDecimal, roundDecimal, shiftDecimal, ZERO_DECIMAL, type ExactDecimal } from "./exact-decimal";
export { convertExact, INVERSE_RATE_SCALE, type FxQuote } from "./fx";
