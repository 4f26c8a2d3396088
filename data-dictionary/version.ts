/**
 * Version of the data dictionary (semantic versioning): bump the major version when a column is
 * removed or its meaning changes, the minor version when a column or code is added, the patch
 * version for labels and descriptions. Recorded in every load result and evaluation manifest.
 */
export const DICTIONARY_VERSION = "1.0.0";
