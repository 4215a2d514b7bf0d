import fs from 'node:fs';
import path from 'node:path';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  CheckDefinition,
  CheckFileProblem,
  FactDefinition,
  parseCheckFile,
} from '@causeway/plugin-scorecard-common';

export type LoadedChecks = {
  checks: CheckDefinition[];
  problems: CheckFileProblem[];
};

/**
 * Reads every check file (*.yaml, *.yml) of a folder, and again when one
 * changes. A bad check, file or a duplicate id is a problem, logged with its
 * file and line and kept for GET /checks; every other check still loads.
 */
export class CheckLoader {
  readonly #directory: string;
  readonly #label: string;
  readonly #facts: ReadonlyMap<string, FactDefinition>;
  readonly #logger: LoggerService;
  readonly #debounceMs: number;
  #current: LoadedChecks = { checks: [], problems: [] };
  #watcher?: fs.FSWatcher;
  #timer?: NodeJS.Timeout;

  constructor(options: {
    /** The folder, absolute. */
    directory: string;
    /** The folder as problems name it, e.g. scorecards. Defaults to the folder. */
    label?: string;
    /** Every fact the providers declare, by name. */
    facts: ReadonlyMap<string, FactDefinition>;
    logger: LoggerService;
    debounceMs?: number;
  }) {
    this.#directory = options.directory;
    this.#label = options.label ?? options.directory;
    this.#facts = options.facts;
    this.#logger = options.logger;
    this.#debounceMs = options.debounceMs ?? 250;
  }

  get current(): LoadedChecks {
    return this.#current;
  }

  async load(): Promise<LoadedChecks> {
    let names: string[] = [];
    try {
      names = (await fs.promises.readdir(this.#directory))
        .filter(name => /\.ya?ml$/.test(name))
        .sort();
    } catch (error) {
      this.#logger.warn(
        `No check files: cannot read ${this.#directory}: ${error}`,
      );
    }

    const checks: CheckDefinition[] = [];
    const problems: CheckFileProblem[] = [];
    const seen = new Map<string, CheckDefinition>();
    for (const name of names) {
      const file = path.join(this.#label, name);
      let content: string;
      try {
        content = await fs.promises.readFile(
          path.join(this.#directory, name),
          'utf8',
        );
      } catch (error) {
        // Deleted between listing and reading: it is gone.
        continue;
      }
      const parsed = parseCheckFile(content, file, this.#facts);
      problems.push(...parsed.problems);
      for (const check of parsed.checks) {
        const first = seen.get(check.id);
        if (first) {
          problems.push({
            file,
            line: check.source.line,
            message: `check ${check.id}: duplicate id, already defined at ${first.source.file}:${first.source.line}`,
          });
        } else {
          seen.set(check.id, check);
          checks.push(check);
        }
      }
    }

    for (const problem of problems) {
      this.#logger.warn(
        `Check file problem at ${problem.file}:${problem.line}: ${problem.message}`,
        { file: problem.file, line: problem.line },
      );
    }
    this.#logger.info(
      `Loaded ${checks.length} checks from ${names.length} files in ${
        this.#directory
      }${problems.length ? `, ${problems.length} problems` : ''}`,
    );
    this.#current = { checks, problems };
    return this.#current;
  }

  /**
   * Reloads the files after a change (debounced) and calls back when the
   * checks changed.
   */
  watch(onChange: (loaded: LoadedChecks) => void): void {
    try {
      this.#watcher = fs.watch(this.#directory, () => {
        clearTimeout(this.#timer);
        this.#timer = setTimeout(
          () => this.#reload(onChange),
          this.#debounceMs,
        );
      });
      this.#watcher.on('error', error =>
        this.#logger.warn(`Stopped watching ${this.#directory}: ${error}`),
      );
    } catch (error) {
      this.#logger.warn(
        `Not watching ${this.#directory} for changes: ${error}`,
      );
    }
  }

  async #reload(onChange: (loaded: LoadedChecks) => void) {
    const before = JSON.stringify(this.#current.checks);
    try {
      const loaded = await this.load();
      if (JSON.stringify(loaded.checks) !== before) onChange(loaded);
    } catch (error) {
      this.#logger.error(`Reloading checks failed: ${error}`);
    }
  }

  close(): void {
    clearTimeout(this.#timer);
    this.#watcher?.close();
  }
}
