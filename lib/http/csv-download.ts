/** A CSV export as a download: never cached, its row count in `x-tally-rows`. */
export function csvDownload(file: { filename: string; rows: number; body: BodyInit }): Response {
  return new Response(file.body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${file.filename}"`,
      "cache-control": "no-store",
      "x-tally-rows": String(file.rows),
    },
  });
}

/** A refusal or a mistake in an export's query, as one line of plain text. */
export const plainText = (text: string, status: number) => new Response(`${text}\n`, { status, headers: { "content-type": "text/plain; charset=utf-8" } });
