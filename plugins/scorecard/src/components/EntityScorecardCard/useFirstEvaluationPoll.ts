import { useEffect } from 'react';

/**
 * How often a never-evaluated entity is read again: its first evaluation
 * lands within seconds to minutes of it entering the catalog, and the page
 * should show it without a reload.
 */
export const FIRST_EVALUATION_POLL_MS = 5_000;

/**
 * Calls `readAgain` FIRST_EVALUATION_POLL_MS after each answer that still
 * says "never evaluated" (`waiting`); nothing once graded or failed.
 */
export function useFirstEvaluationPoll(
  waiting: boolean,
  readAgain: () => void,
) {
  useEffect(() => {
    if (!waiting) return undefined;
    const timer = setTimeout(readAgain, FIRST_EVALUATION_POLL_MS);
    return () => clearTimeout(timer);
  }, [waiting, readAgain]);
}
