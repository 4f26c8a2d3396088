/** File input: streaming CSV records, checksums, and loading a data folder. */
export { sha256File } from "./checksum.js";
export {
  type CsvRecordHandler,
  CsvRecordParser,
  type CsvRecordParserOptions,
} from "./csv-record-parser.js";
export { DataFolderError, loadDataset } from "./load-dataset.js";
export { type CsvFileStats, streamCsvFile } from "./read-csv-file.js";
