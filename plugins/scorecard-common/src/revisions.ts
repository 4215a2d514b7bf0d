/**
 * What one input of an entity's facts (its GitOps folder, its source
 * repository) was read at.
 */
export type Revision = {
  /** The commit read: what "graded at" shows. */
  commit: string;
  /**
   * What the facts depend on at that commit, when narrower than the whole
   * commit (the digest of a service's folders in a GitOps repository that
   * thousands of services share): a new commit that leaves it as it was
   * leaves the facts as they were. Absent: the commit itself.
   */
  content?: string;
};

/** The commits an entity's stored results were graded at, by input (`gitops`, `source`). */
export type GradedRevisions = Record<string, { commit: string }>;

const contentOf = (revision: Revision) => revision.content ?? revision.commit;

/**
 * Whether results graded at `graded` still hold for inputs now at
 * `current`: the same inputs, each with the same content.
 */
export function revisionsMatch(
  graded: Record<string, Revision>,
  current: Record<string, Revision>,
): boolean {
  const inputs = Object.keys(current);
  if (inputs.length !== Object.keys(graded).length) return false;
  return inputs.every(
    input =>
      graded[input] !== undefined &&
      contentOf(graded[input]) === contentOf(current[input]),
  );
}

/** The commits of some revisions, as the API shows them. */
export function gradedCommits(
  revisions: Record<string, Revision>,
): GradedRevisions {
  return Object.fromEntries(
    Object.entries(revisions).map(([input, { commit }]) => [input, { commit }]),
  );
}
