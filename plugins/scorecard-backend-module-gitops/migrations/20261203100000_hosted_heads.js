// @ts-check

/*
 * The latest known head of each hosted (GitHub) source repository, from a
 * push webhook or the head poll: whether a stored grade is older than the
 * repository's head is answered here, on any replica.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('scorecard_gitops_hosted_heads', table => {
    table
      .string('repository_url', 512)
      .primary()
      .comment('The repository, as hostedRepositoryKey normalises its URL');
    table.string('sha', 64).notNullable().comment('The head commit');
    table
      .string('seen_at', 30)
      .notNullable()
      .comment('When this head was first seen (ISO 8601)');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('scorecard_gitops_hosted_heads');
};
