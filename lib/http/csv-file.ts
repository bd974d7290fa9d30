/** A console export's answer: the CSV as a download under its file name, never cached, with its row count in `x-tally-rows`. */
export function csvFileResponse(file: { filename: string; rows: number; body: BodyInit }): Response {
  return new Response(file.body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${file.filename}"`,
      "cache-control": "no-store",
      "x-tally-rows": String(file.rows),
    },
  });
}
