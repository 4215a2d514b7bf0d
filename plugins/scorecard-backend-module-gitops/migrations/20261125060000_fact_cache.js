// @ts-check

/*
 * What the GitOps and source fact providers made of what they read, kept
 * across restarts: a backend that starts again reads its repositories' trees
 * and parses only what changed, instead of every manifest.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('scorecard_gitops_fact_cache', table => {
    table
      .string('kind', 32)
      .notNullable()
      .comment('What the entry is: gitops-folder or source-repository');
    table
      .string('key', 512)
      .notNullable()
      .comment('A folder of the GitOps repository, or a source repository');
    table
      .string('digest', 64)
      .notNullable()
      .comment('What the value was made from: it holds while this matches');
    table.text('value').notNullable().comment('JSON');
    table.string('updated_at', 30).notNullable();
    table.primary(['kind', 'key']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('scorecard_gitops_fact_cache');
};
