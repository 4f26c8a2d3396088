/**
 * `prss dictionary [--schema TABLE|all] [--json]`: prints the data dictionary — the Markdown
 * codebook by default, a table's JSON Schema with --schema, or the machine-readable list of tables
 * and columns with --json.
 */
import { generateDictionaryArtifacts } from "../../data-dictionary/generate.js";
import {
  DICTIONARY_VERSION,
  TABLE_NAMES,
  type TableDefinition,
  tables,
} from "../../data-dictionary/index.js";
import { parseCommandArgs, UsageError } from "./args.js";
import type { CliIo } from "./io.js";

const HELP = `prss dictionary [options]

Prints the data dictionary (version ${DICTIONARY_VERSION}).

Options:
  --schema TABLE   print the JSON Schema of one table (or "all" for every table as one JSON object)
  --json           print tables, columns, types, codes and keys as JSON
  -h, --help       this help

Tables: ${TABLE_NAMES.join(", ")}`;

/** The `prss dictionary` command. */
export async function dictionaryCommand(argv: string[], io: CliIo): Promise<number> {
  try {
    const { values, positionals } = parseCommandArgs(
      argv,
      { schema: { type: "string" }, json: { type: "boolean" }, help: { type: "boolean", short: "h" } },
      false,
    );
    void positionals;
    if (values.help) {
      io.stdout(HELP);
      return 0;
    }
    const artifacts = generateDictionaryArtifacts();
    if (values.schema !== undefined) {
      if (values.schema === "all") {
        const all: Record<string, unknown> = {};
        for (const name of TABLE_NAMES)
          all[name] = JSON.parse(artifacts.get(`schema/${name}.schema.json`) ?? "null");
        io.stdout(JSON.stringify(all, null, 2));
        return 0;
      }
      const text = artifacts.get(`schema/${values.schema}.schema.json`);
      if (text === undefined) {
        throw new UsageError(`unknown table "${values.schema}"; tables: ${TABLE_NAMES.join(", ")}`);
      }
      io.stdout(text);
      return 0;
    }
    if (values.json) {
      const out = TABLE_NAMES.map((name) => {
        const t: TableDefinition = tables[name];
        return {
          name,
          file: t.fileName,
          label: t.label,
          description: t.description,
          required: t.required,
          primaryKey: t.primaryKey,
          foreignKeys: t.foreignKeys,
          columns: t.columns,
        };
      });
      io.stdout(JSON.stringify({ version: DICTIONARY_VERSION, tables: out }, null, 2));
      return 0;
    }
    io.stdout(artifacts.get("codebook.md") ?? "");
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`prss dictionary: ${error.message}\nSee prss dictionary --help.`);
      return 2;
    }
    throw error;
  }
}
