import { ManifestParseProblem } from '@causeway/plugin-gitops-common';

/** A YAML problem of a file, with its line, for a log: path:line: message. */
export const describeParseProblem = (problem: ManifestParseProblem) =>
  `${problem.path}:${problem.line}: ${problem.message}`;
