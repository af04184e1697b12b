// Filled by a later issue; the entry point exists so the package layout (exports map) is final.
export {};
