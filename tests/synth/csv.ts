/** Minimal CSV reader for the generator's own output (no quoting is ever needed in clean output). */

export interface Table {
  readonly header: string[];
  readonly rows: string[][];
  col(name: string): number;
}

export function parseCsv(text: string): Table {
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  const header = (lines[0] ?? "").split(",");
  const rows = lines.slice(1).map((l) => l.split(","));
  return {
    header,
    rows,
    col(name: string): number {
      const i = header.indexOf(name);
      if (i < 0) throw new Error(`no column ${name}`);
      return i;
    },
  };
}

export function parseAll(files: Readonly<Record<string, string>>): Record<string, Table> {
  const out: Record<string, Table> = {};
  for (const [k, v] of Object.entries(files)) out[k] = parseCsv(v);
  return out;
}
