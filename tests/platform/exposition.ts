/**
 * A strict reader of Prometheus's text exposition format (what /metrics answers): every line is a
 * `# HELP`, a `# TYPE` or a sample `name{label="value",…} number`; anything else throws. (prom-client
 * writes NaN as "Nan", which Prometheus reads case-insensitively.)
 */
export type Samples = Map<string, number>;

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (-?(?:\d+(?:\.\d+)?(?:e[+-]?\d+)?)|[Nn]a[Nn]|\+Inf|-Inf)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(?:,|$)/y;

export function parseExposition(text: string): { samples: Samples; types: Map<string, string> } {
  const samples: Samples = new Map();
  const types = new Map<string, string>();
  for (const line of text.split("\n")) {
    if (line === "") continue;
    if (line.startsWith("# HELP ")) continue;
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      types.set(type[1]!, type[2]!);
      continue;
    }
    const sample = SAMPLE.exec(line);
    if (!sample) throw new Error(`not a line of the exposition format: ${line}`);
    const labels: Record<string, string> = {};
    const text = sample[2] ?? "";
    LABEL.lastIndex = 0;
    while (LABEL.lastIndex < text.length) {
      const at = LABEL.lastIndex;
      const label = LABEL.exec(text);
      if (!label || label.index !== at) throw new Error(`malformed labels: ${line}`);
      labels[label[1]!] = label[2]!;
    }
    samples.set(seriesKey(sample[1]!, labels), /^nan$/i.test(sample[3]!) ? Number.NaN : Number(sample[3]));
  }
  return { samples, types };
}

/** `name{a="1",b="2"}` with the labels sorted: the key a sample is found under. */
export function seriesKey(name: string, labels: Record<string, string> = {}): string {
  const inner = Object.keys(labels)
    .sort()
    .map((k) => `${k}="${labels[k]}"`)
    .join(",");
  return inner ? `${name}{${inner}}` : name;
}
