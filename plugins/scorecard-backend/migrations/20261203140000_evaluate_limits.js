// @ts-check

/*
 * Evaluations on request, limited on all replicas together: when each
 * entity was last graded on request (another request within the minimum
 * interval answers with the stored results), and each caller's requests in
 * the current minute.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('scorecard_evaluate_claims', table => {
    table.string('entity_ref', 255).primary().notNullable();
    table
      .string('claimed_at', 30)
      .notNullable()
      .comment('When a request last graded the entity (ISO 8601, UTC)');
  });
  await knex.schema.createTable('scorecard_request_counts', table => {
    table
      .string('key', 255)
      .primary()
      .notNullable()
      .comment('What is limited and for whom, e.g. evaluate:user:default/bob');
    table
      .bigInteger('window_start')
      .notNullable()
      .comment('Milliseconds since the epoch when the counted window began');
    table.integer('count').notNullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('scorecard_request_counts');
  await knex.schema.dropTable('scorecard_evaluate_claims');
};
