/**
 * CSV for exports (RFC 4180: comma-separated, CRLF rows, fields with a quote, comma or line break
 * wrapped in quotes and their quotes doubled), with formula neutralization: a spreadsheet opening
 * the file must never run a cell as a formula (`=HYPERLINK(…)`, `+cmd|…`, `@SUM(…)`). A text
 * cell that begins with = + - @, a tab or a carriage return gets a leading apostrophe, which
 * spreadsheets read as "this is text". Plain decimal numbers (`-12.50`) are left alone: they cannot
 * run anything, and an apostrophe would turn a refund into text. Pure: no I/O.
 */

export type CsvValue = string | number | bigint | boolean | Date | null | undefined;

export const FORMULA_TRIGGERS = ["=", "+", "-", "@", "\t", "\r"] as const;
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

/** Excel needs the byte-order mark to read UTF-8 (names with accents); other readers skip it. */
export const CSV_BOM = "\uFEFF";

export function isPlainNumber(text: string): boolean {
  return PLAIN_NUMBER.test(text);
}

/** The text a spreadsheet will show for `text`, never a formula. */
export function neutralizeFormula(text: string): string {
  const first = text.charAt(0);
  if ((FORMULA_TRIGGERS as readonly string[]).includes(first) && !isPlainNumber(text)) return `'${text}`;
  return text;
}

function toText(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error("CSV cells take finite numbers only");
    return String(value);
  }
  return String(value);
}

/** One field: neutralized (text only; numbers, booleans and dates cannot be formulas), then quoted if needed. */
export function csvCell(value: CsvValue): string {
  const text = typeof value === "string" ? neutralizeFormula(value) : toText(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record, CRLF-terminated. */
export function csvRow(values: readonly CsvValue[]): string {
  return `${values.map(csvCell).join(",")}\r\n`;
}

/** A whole document (no BOM). */
export function toCsv(rows: readonly (readonly CsvValue[])[]): string {
  return rows.map(csvRow).join("");
}

/**
 * Read RFC 4180 CSV back into fields (a leading BOM is skipped; a final line break ends the last
 * record rather than starting an empty one). Used to check exports round-trip.
 */
export function parseCsv(input: string): string[][] {
  const text = input.startsWith(CSV_BOM) ? input.slice(1) : input;
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let i = 0;
  let quoted = false;
  let started = false;
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === "") {
      quoted = true;
      started = true;
      i++;
    } else if (ch === ",") {
      row.push(field);
      field = "";
      started = true;
      i++;
    } else if (ch === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      started = false;
      i += 2;
    } else {
      field += ch;
      started = true;
      i++;
    }
  }
  if (started || field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
