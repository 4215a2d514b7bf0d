// @ts-check

/*
 * What each entity's stored results were graded at: per input (its GitOps
 * folder, its source repository) the commit read and the content the facts
 * depend on, as JSON. Rows from before have none, so their first read
 * grades them again.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('scorecard_entities', table => {
    table.text('graded').nullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('scorecard_entities', table => {
    table.dropColumn('graded');
  });
};
