// @ts-check

/*
 * The scorecard's tables. Times are ISO 8601 strings in UTC and days are
 * YYYY-MM-DD strings, so they compare and sort alike on SQLite and
 * PostgreSQL. Refs are lowercase.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  // One row per evaluated entity: its latest results.
  await knex.schema.createTable('scorecard_entities', table => {
    table.string('entity_ref', 255).primary().notNullable();
    table.string('kind', 63).notNullable();
    table.string('name', 255).notNullable();
    table.text('title').nullable();
    table.string('owner', 255).nullable();
    table.string('system', 255).nullable();
    table.string('level', 16).notNullable();
    table
      .integer('level_rank')
      .notNullable()
      .comment('0 none, 1 bronze, 2 silver, 3 gold: for sorting');
    table.integer('passed').notNullable();
    table.integer('failed').notNullable();
    table.integer('waived').notNullable();
    table.text('results').notNullable().comment('JSON: each check result');
    table.text('failing_checks').notNullable().comment('JSON: check ids');
    table
      .string('results_hash', 64)
      .notNullable()
      .comment('Hash of everything above: unchanged results are not written');
    table.string('catalog_etag', 255).nullable();
    table
      .string('history_day', 10)
      .notNullable()
      .comment('The latest day with a history row');
    table.string('evaluated_at', 30).notNullable();
    table.index(['owner'], 'scorecard_entities_owner_idx');
    table.index(['system'], 'scorecard_entities_system_idx');
    table.index(['level_rank', 'name'], 'scorecard_entities_level_idx');
    table.index(['kind'], 'scorecard_entities_kind_idx');
    table.index(['name'], 'scorecard_entities_name_idx');
  });

  // The failing (entity, check) pairs, for "entities failing check X".
  await knex.schema.createTable('scorecard_failing_checks', table => {
    table.string('entity_ref', 255).notNullable();
    table.string('check_id', 255).notNullable();
    table.primary(['entity_ref', 'check_id']);
    table.index(['check_id'], 'scorecard_failing_checks_check_idx');
  });

  // One row per entity per day: the last result of that day.
  await knex.schema.createTable('scorecard_history', table => {
    table.string('entity_ref', 255).notNullable();
    table.string('day', 10).notNullable();
    table.string('owner', 255).nullable();
    table.string('level', 16).notNullable();
    table.integer('passed').notNullable();
    table.integer('failed').notNullable();
    table.integer('waived').notNullable();
    table.primary(['entity_ref', 'day']);
    table.index(['owner', 'day'], 'scorecard_history_owner_day_idx');
    table.index(['day'], 'scorecard_history_day_idx');
  });

  // Waivers are revoked, never deleted: who waived what, when, and why.
  await knex.schema.createTable('scorecard_waivers', table => {
    table.string('id', 36).primary().notNullable();
    table.string('entity_ref', 255).notNullable();
    table.string('check_id', 255).notNullable();
    table.text('reason').notNullable();
    table.string('expires_on', 10).notNullable().comment('Last day it applies');
    table.string('created_by', 255).notNullable();
    table.string('created_at', 30).notNullable();
    table.string('revoked_by', 255).nullable();
    table.string('revoked_at', 30).nullable();
    table.index(['entity_ref'], 'scorecard_waivers_entity_idx');
    table.index(['expires_on'], 'scorecard_waivers_expires_idx');
  });

  // The group tree as (ancestor, descendant) pairs, each group its own too.
  await knex.schema.createTable('scorecard_group_tree', table => {
    table.string('ancestor_ref', 255).notNullable();
    table.string('descendant_ref', 255).notNullable();
    table.primary(['ancestor_ref', 'descendant_ref']);
  });

  await knex.schema.createTable('scorecard_state', table => {
    table.string('key', 63).primary().notNullable();
    table.text('value').notNullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('scorecard_state');
  await knex.schema.dropTable('scorecard_group_tree');
  await knex.schema.dropTable('scorecard_waivers');
  await knex.schema.dropTable('scorecard_history');
  await knex.schema.dropTable('scorecard_failing_checks');
  await knex.schema.dropTable('scorecard_entities');
};
